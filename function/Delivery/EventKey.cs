using CloudNative.CloudEvents;

namespace ImageClassifier.Delivery;

/// <summary>What identifies an event, by the CloudEvents spec: its source and id together.</summary>
internal readonly record struct EventKey(string Source, string Id)
{
    public static EventKey Of(CloudEvent cloudEvent) => new(cloudEvent.Source!.OriginalString, cloudEvent.Id!);
}
