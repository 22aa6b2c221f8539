using Microsoft.Extensions.Logging;

namespace Recsys.Tests.Cluster;

/// <summary>Appends the cluster's Recsys log lines to a file named by RECSYS_TRACE (debugging the in-process cluster).</summary>
internal sealed class FileTrace(string path) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new Logger(path, categoryName);
    public void Dispose() { }

    private sealed class Logger(string path, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => category.StartsWith("Recsys", StringComparison.Ordinal) && logLevel >= LogLevel.Information;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            lock (typeof(FileTrace)) File.AppendAllText(path, $"{DateTime.UtcNow:HH:mm:ss.fff} {category.Split('.')[^1]} {formatter(state, exception)} {exception?.GetType().Name}\n");
        }
    }
}
