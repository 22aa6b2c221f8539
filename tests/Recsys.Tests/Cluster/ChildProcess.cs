using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Recsys.Tests.Cluster;

/// <summary>A process the test started: its output lines, a wait for a line, SIGTERM/SIGKILL; disposing kills it if still running.</summary>
public sealed class ChildProcess : IDisposable
{
    private readonly List<string> _lines = [];
    private readonly List<(Regex Pattern, TaskCompletionSource<Match> Done)> _waits = [];

    private ChildProcess(Process p, string name) { Process = p; Name = name; }

    public Process Process { get; }
    public string Name { get; }

    public string Output { get { lock (_lines) return string.Join('\n', _lines); } }

    public static ChildProcess Start(string name, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var c = new ChildProcess(Process.Start(psi)!, name);
        c.Process.OutputDataReceived += (_, e) => c.Add(e.Data, "");
        c.Process.ErrorDataReceived += (_, e) => c.Add(e.Data, "err: ");
        c.Process.BeginOutputReadLine();
        c.Process.BeginErrorReadLine();
        return c;
    }

    /// <summary>The <c>recsys</c> CLI built next to the tests, run with <c>dotnet</c>.</summary>
    public static ChildProcess Recsys(string name, params string[] args) =>
        Start(name, "dotnet", [Path.Combine(AppContext.BaseDirectory, "recsys.dll"), .. args]);

    private void Add(string? line, string prefix)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Add(prefix + line);
            foreach (var (p, done) in _waits)
                if (prefix == "" && p.Match(line) is { Success: true } m) done.TrySetResult(m);
        }
    }

    /// <summary>The first stdout line matching <paramref name="pattern"/> (including lines already printed).</summary>
    public async Task<Match> WaitForAsync(string pattern, TimeSpan timeout)
    {
        var re = new Regex(pattern);
        var done = new TaskCompletionSource<Match>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lines)
        {
            foreach (var l in _lines) if (re.Match(l) is { Success: true } m) return m;
            _waits.Add((re, done));
        }
        var exited = Process.WaitForExitAsync();
        var first = await Task.WhenAny(done.Task, exited, Task.Delay(timeout));
        if (first == done.Task) return await done.Task;
        throw new TimeoutException($"{Name}: no line matching '{pattern}' within {timeout.TotalSeconds} s{(first == exited ? " (it exited)" : "")}:\n{Output}");
    }

    public void Signal(string signal)
    {
        if (Process.HasExited) return;
        using var kill = Process.Start("kill", [$"-{signal}", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
        kill.WaitForExit();
    }

    public void Dispose()
    {
        try { if (!Process.HasExited) Process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        Process.Dispose();
    }
}
