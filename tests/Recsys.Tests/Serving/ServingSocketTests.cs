using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using Recsys.Serving;
using Recsys.Serving.Http;

namespace Recsys.Tests.Serving;

/// <summary>The host on a real loopback socket (Kestrel, port 0): start, request with HttpClient, stop.</summary>
[Collection(ServingCollection.Name)]
public sealed class ServingSocketTests(ServingFixture f)
{
    [Fact]
    public async Task Serves_on_a_free_loopback_port_and_stops()
    {
        using var service = new RecommendationService(f.Snapshot(f.RunA, "a"));
        await using var app = ServingHost.Build(service, configure: b =>
        {
            b.WebHost.UseUrls("http://127.0.0.1:0");
            b.Logging.ClearProviders();
        });
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await app.StartAsync(timeout.Token);
        try
        {
            var url = Assert.Single(app.Urls);
            Assert.DoesNotContain(":0", url.Replace("127.0.0.1", ""));
            using var client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(10) };
            var r = await client.PostAsync("/v1/recommend", new StringContent("""{"user": "2", "k": 3}""", System.Text.Encoding.UTF8, "application/json"), timeout.Token);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            Assert.Contains("\"version\":\"a\"", await r.Content.ReadAsStringAsync(timeout.Token));
        }
        finally
        {
            await app.StopAsync(timeout.Token);
        }
    }
}
