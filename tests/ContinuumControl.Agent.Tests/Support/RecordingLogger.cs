using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace ContinuumControl.Agent.Tests.Support;

/// <summary>Keeps every message logged at Information or above, for tests that assert what an operator would read in the log.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    public ConcurrentQueue<(LogLevel Level, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Entries.Enqueue((logLevel, formatter(state, exception) + (exception is null ? "" : $" ({exception.Message})")));
        }
    }
}
