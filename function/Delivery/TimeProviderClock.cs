using Microsoft.Extensions.Internal;

namespace ImageClassifier.Delivery;

/// <summary>The injected <see cref="TimeProvider"/> as the clock MemoryCache expires entries by.</summary>
internal sealed class TimeProviderClock(TimeProvider timeProvider) : ISystemClock
{
    public DateTimeOffset UtcNow => timeProvider.GetUtcNow();
}
