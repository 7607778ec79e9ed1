using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Nop.Plugin.Payments.Klarna.Tests.Support;

/// <summary>
/// Captures every log line (all categories, all levels, including exceptions) for assertions
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToList();

    public string AllText => string.Join(Environment.NewLine, _lines);

    public void Clear() => _lines.Clear();

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, _lines);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception exception, Func<TState, Exception, string> formatter)
        {
            var structured = state is IEnumerable<KeyValuePair<string, object>> pairs ? string.Join(", ", pairs.Select(p => $"{p.Key}={p.Value}")) : string.Empty;
            lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} [{structured}] {exception}");
        }
    }
}

/// <summary>
/// Collects the traffic debug log of the client
/// </summary>
public sealed class CapturingTrafficLogger : Nop.Plugin.Payments.Klarna.Services.Api.IKlarnaTrafficLogger
{
    private readonly ConcurrentQueue<string> _messages = new();

    public bool Enabled => true;

    public IReadOnlyList<string> Messages => _messages.ToList();

    public Task LogAsync(string message)
    {
        _messages.Enqueue(message);
        return Task.CompletedTask;
    }
}
