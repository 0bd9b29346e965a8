using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ImageClassifier.Tests.Harness;

/// <summary>
/// A logger provider that keeps every entry the app logs, from every category, with its message
/// and its named values, for assertions on the operator's story.
/// </summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public ConcurrentQueue<LogEntry> Entries { get; } = new();

    /// <summary>The messages of warnings and worse, in order.</summary>
    public IReadOnlyList<string> Warnings => [.. Entries.Where(entry => entry.Level >= LogLevel.Warning).Select(entry => entry.Message)];

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, Entries);

    public IEnumerable<LogEntry> Of(string category) => Entries.Where(entry => entry.Category == category);

    /// <summary>Waits (at most 30 s) until a warning or worse containing <paramref name="text"/> has been logged.</summary>
    public async Task WaitForWarningAsync(string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!Warnings.Any(warning => warning.Contains(text, StringComparison.Ordinal)))
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    public void Dispose()
    {
    }

    public sealed record LogEntry(string Category, LogLevel Level, string Message, Exception? Exception, IReadOnlyDictionary<string, object?> Values)
    {
        public override string ToString() => $"{Level} {Category}: {Message} {Exception}";
    }

    private sealed class Logger(string category, ConcurrentQueue<LogEntry> entries) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = state is IEnumerable<KeyValuePair<string, object?>> pairs
                ? pairs.ToDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal)
                : new Dictionary<string, object?>(StringComparer.Ordinal);
            entries.Enqueue(new LogEntry(category, logLevel, formatter(state, exception), exception, values));
        }
    }
}
