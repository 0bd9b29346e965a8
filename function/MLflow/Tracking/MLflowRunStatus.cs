namespace ImageClassifier.MLflow.Tracking;

/// <summary>The RunStatus values of service.proto that this client sets.</summary>
public static class MLflowRunStatus
{
    public const string Finished = "FINISHED";
    public const string Failed = "FAILED";
}
