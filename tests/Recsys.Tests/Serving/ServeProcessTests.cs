using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Recsys.Tests.Serving;

/// <summary>
/// <c>recsys serve</c> as a user runs it: a separate process on a free loopback port, a request, then SIGTERM, which
/// must drain and exit 0. Bounded: every wait has a timeout and the process is killed if it outlives the test.
/// </summary>
[Collection(ServingCollection.Name)]
public sealed partial class ServeProcessTests(ServingFixture f)
{
    [Fact]
    public async Task Serves_a_run_on_a_free_port_and_stops_cleanly_on_sigterm()
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS()) return; // SIGTERM is sent with kill(1)
        var cli = Path.Combine(AppContext.BaseDirectory, "recsys.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { cli, "serve", "--run", f.RunA, "--data", f.DataDir, "--port", "0" }) psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var lines = new List<string>();
        var url = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (lines) lines.Add(e.Data);
            if (ServingUrl().Match(e.Data) is { Success: true } m) url.TrySetResult(m.Groups[1].Value);
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (lines) lines.Add("err: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var started = await Task.WhenAny(url.Task, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(started == url.Task, "recsys serve did not print its URL within 60 s:\n" + string.Join('\n', lines));
            using var client = new HttpClient { BaseAddress = new Uri(await url.Task), Timeout = TimeSpan.FromSeconds(10) };
            var r = await client.PostAsync("/v1/recommend", new StringContent("""{"user": "3", "k": 4}""", Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Equal(4, System.Text.Json.JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("items").GetArrayLength());
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);

            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) await kill.WaitForExitAsync();
            using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(exit.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    [GeneratedRegex(@" on (http://127\.0\.0\.1:\d+)")]
    private static partial Regex ServingUrl();
}
