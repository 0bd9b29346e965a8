using System.ComponentModel.DataAnnotations;
using ImageClassifier.MLflow.Client;
using ImageClassifier.MLflow.Tracking;

namespace ImageClassifier.Tests.MLflow;

/// <summary>MODEL_URI's forms and the start-up checks of the MLflow settings.</summary>
public class MLflowSettingsTests
{
    [Theory]
    [InlineData("models:/classifier/3", "classifier", "3", null)]
    [InlineData("models:/classifier@champion", "classifier", null, "champion")]
    [InlineData("models:/my%20model/12", "my model", "12", null)]
    public void Model_URIs_name_a_version_or_an_alias(string text, string name, string? version, string? alias)
    {
        Assert.True(RegisteredModelUri.TryParse(text, out var uri));
        Assert.Equal(new RegisteredModelUri(name, version, alias), uri);
    }

    [Theory]
    [InlineData("models:/classifier")]
    [InlineData("models:/classifier/latest-ish")]
    [InlineData("runs:/abc/model")]
    [InlineData("models:/a/1/extra")]
    public void Other_URIs_are_not_model_URIs(string text) => Assert.False(RegisteredModelUri.TryParse(text, out _));

    [Theory]
    [InlineData("MODEL_URI needs MLFLOW_TRACKING_URI", null, "models:/m/1", null)]
    [InlineData("MLFLOW_TRACKING_URI must be an absolute http or https URL", "localhost:5000", null, null)]
    [InlineData("MODEL_URI must be models:/<name>/<version>", "http://mlflow:5000", "m", null)]
    [InlineData("MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD must be set together", "http://mlflow:5000", null, "me")]
    public void Bad_settings_are_refused_naming_the_variable(string message, string? tracking, string? modelUri, string? user)
    {
        var options = new MLflowOptions { TrackingUri = tracking, ModelUri = modelUri, Username = user };

        var errors = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains(errors, error => error.ErrorMessage!.StartsWith(message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("minio.mlflow.svc:9000")]
    [InlineData("https://minio.example/bucket")]
    [InlineData("ftp://minio.example")]
    [InlineData("https://user:secret@minio.example")]
    public void MLFLOW_ARTIFACT_HOSTS_takes_origins_only(string hosts)
    {
        var options = new MLflowOptions { TrackingUri = "https://mlflow.example", ArtifactHosts = "https://ok.example," + hosts };

        var errors = new List<ValidationResult>();
        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Contains(errors, error => error.ErrorMessage!.StartsWith("MLFLOW_ARTIFACT_HOSTS must be a comma-separated list of http or https origins", StringComparison.Ordinal));
    }

    [Fact]
    public void An_artifact_origin_is_the_tracking_server_s_or_one_MLFLOW_ARTIFACT_HOSTS_names()
    {
        var options = new MLflowOptions { TrackingUri = "https://mlflow.example", ArtifactHosts = "http://minio.mlflow.svc:9000, https://s3.example" };

        Assert.True(options.IsArtifactOrigin(new Uri("https://mlflow.example/api/2.0/mlflow-artifacts/artifacts/0/m/model.onnx")));
        Assert.True(options.IsArtifactOrigin(new Uri("http://minio.mlflow.svc:9000/bucket/model.onnx")));
        Assert.True(options.IsArtifactOrigin(new Uri("https://S3.example/model.onnx")));
        Assert.False(options.IsArtifactOrigin(new Uri("https://mlflow.example:8443/model.onnx")));
        Assert.False(options.IsArtifactOrigin(new Uri("http://mlflow.example/model.onnx")));
        Assert.False(options.IsArtifactOrigin(new Uri("http://169.254.169.254/latest/meta-data")));
    }

    [Theory]
    [InlineData("http://mlflow.example:5000", false, false)]
    [InlineData("http://mlflow.ml.svc.cluster.local:5000", true, true)]
    [InlineData("https://mlflow.example", false, true)]
    [InlineData("http://127.0.0.1:5000", false, true)]
    [InlineData("http://localhost:5000", false, true)]
    [InlineData("http://[::1]:5000", false, true)]
    public void Plain_http_is_refused_except_on_loopback_or_with_MLFLOW_ALLOW_HTTP(string trackingUri, bool allowHttp, bool valid)
    {
        var options = new MLflowOptions { TrackingUri = trackingUri, AllowHttp = allowHttp };

        var errors = new List<ValidationResult>();
        Assert.Equal(valid, Validator.TryValidateObject(options, new ValidationContext(options), errors, validateAllProperties: true));
        Assert.Equal(valid ? [] : ["MLFLOW_TRACKING_URI must be https: plain http is only for loopback, or with MLFLOW_ALLOW_HTTP=true for a server inside the cluster."],
            errors.Select(error => error.ErrorMessage));
    }

    [Fact]
    public void A_user_and_password_in_the_tracking_URI_are_kept_out_of_the_server_URL()
    {
        var options = new MLflowOptions { TrackingUri = "https://scientist:s3cret@mlflow.example:8443/prefix/" };

        Assert.Equal(new Uri("https://mlflow.example:8443/prefix/"), options.TrackingServer);
        Assert.True(options.TrackingUriHasUserInfo);
    }

    [Fact]
    public void The_defaults_are_valid_and_tracking_is_off()
    {
        var options = new MLflowOptions();

        Assert.True(Validator.TryValidateObject(options, new ValidationContext(options), [], validateAllProperties: true));
        Assert.False(options.TrackingEnabled);
        Assert.Equal("image_classification_experiment", options.ExperimentName);
    }

    [Fact]
    public void Image_artifacts_are_named_after_the_URL_or_their_bytes()
    {
        Assert.Equal("cat.jpg", ImageArtifactName.For(new Uri("https://x.example/a/cat.jpg?sig=1"), [0xFF, 0xD8, 0xFF, 0xE0]));
        Assert.Equal("image.png", ImageArtifactName.For(new Uri("https://x.example/render"), [0x89, (byte)'P', (byte)'N', (byte)'G']));
        Assert.Equal("image.jpg", ImageArtifactName.For(null, [0xFF, 0xD8, 0xFF, 0xE0]));
    }
}
