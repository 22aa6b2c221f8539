using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Recsys.Retrieval.Mips;
using Recsys.Retrieval.Recommenders;
using Recsys.Tests.Infrastructure;
using Recsys.Serving;

namespace Recsys.Tests.Serving;

/// <summary>Every endpoint through the in-process test server, and every bad request answered as a 400 problem (never a 500).</summary>
[Collection(ServingCollection.Name)]
public sealed class ServingHttpTests(ServingFixture f)
{
    private const string Token = "s3cret-token";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Body(HttpResponseMessage r) => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement;

    /// <summary>Asserts an RFC 7807 problem with <paramref name="status"/> whose detail mentions <paramref name="reason"/>.</summary>
    private static async Task Problem(HttpResponseMessage r, HttpStatusCode status, string? reason = null)
    {
        Assert.Equal(status, r.StatusCode);
        Assert.Equal("application/problem+json", r.Content.Headers.ContentType?.MediaType);
        var p = await Body(r);
        Assert.Equal((int)status, p.GetProperty("status").GetInt32());
        if (reason is not null) Assert.Contains(reason, p.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Recommend_answers_equal_the_fitted_recommender()
    {
        await using var h = await f.StartAsync();
        using var reference = RunFolderRecommender.Load(f.RunA, f.Data, Tc.Catalog);
        foreach (var u in new[] { 0, 7, 59 })
        {
            var r = await h.Client.PostAsync("/v1/recommend", Json($$"""{"user": "{{u}}", "k": 5}"""));
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            var b = await Body(r);
            var expected = reference.Recommend(new RecommendRequest { User = u, K = 5 }).Items.Select(reference.Data.ItemName);
            Assert.Equal(expected, b.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()));
            Assert.Equal("a", b.GetProperty("version").GetString());
            Assert.Equal(JsonValueKind.Null, b.GetProperty("fallback").ValueKind);
        }
    }

    [Fact]
    public async Task Recommend_answers_equal_the_recommend_verb()
    {
        await using var h = await f.StartAsync();
        var (code, output, err) = Recsys.Tests.Infrastructure.CliHarness.Run("recommend", "--data", f.DataDir, "--run", f.RunA, "--user", "3", "--k", "5", "--exclude", "1,2", "--json");
        Assert.True(code == 0, err);
        var cli = JsonDocument.Parse(output).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()).ToArray();
        var http = await Body(await h.Client.PostAsync("/v1/recommend", Json("""{"user": "3", "k": 5, "exclude": ["1", "2"]}""")));
        Assert.Equal(cli, http.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("item").GetString()));
    }

    [Fact]
    public async Task Reloads_under_concurrent_http_requests_drop_nothing_and_never_mix_versions()
    {
        var expected = new Dictionary<string, string?[][]>();
        foreach (var (name, run) in new[] { ("run-a", f.RunA), ("run-b", f.RunB) })
        {
            using var r = RunFolderRecommender.Load(run, f.Data, Tc.Catalog);
            expected[name] = Enumerable.Range(0, f.Data.NumUsers).Select(u => r.Recommend(new RecommendRequest { User = u, K = 10 }).Items.Select(r.Data.ItemName).ToArray<string?>()).ToArray();
        }
        await using var h = await f.StartAsync(new ServingOptions { AdminToken = Token, ReloadRoots = [f.Root] });
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        int failures = 0;
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<long, byte>();
        var reloadsDone = new TaskCompletionSource();
        var reloads = Task.Run(async () =>
        {
            for (int i = 0; i < 4; i++)
            {
                var m = new HttpRequestMessage(HttpMethod.Post, "/admin/reload") { Content = Json(JsonSerializer.Serialize(new { run = i % 2 == 0 ? f.RunB : f.RunA, data = f.DataDir })) };
                m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
                Assert.Equal(HttpStatusCode.OK, (await h.Client.SendAsync(m, cts.Token)).StatusCode);
            }
            reloadsDone.SetResult();
        }, cts.Token);
        var clients = Enumerable.Range(0, 4).Select(t => Task.Run(async () =>
        {
            // 200 requests each, and on until the last reload (at most 5,000).
            for (int i = 0; i < 5000 && (i < 200 || !reloadsDone.Task.IsCompleted); i++)
            {
                int u = (t * 200 + i) % f.Data.NumUsers;
                try
                {
                    var r = await h.Client.PostAsync("/v1/recommend", Json($$"""{"user": "{{u}}", "k": 10}"""), cts.Token);
                    var b = await Body(r);
                    string version = b.GetProperty("version").GetString()!;
                    string run = version == "a" ? "run-a" : version[..version.IndexOf('@')];
                    var items = b.GetProperty("items").EnumerateArray().Select(x => x.GetProperty("item").GetString()).ToArray();
                    if (r.StatusCode != HttpStatusCode.OK || !items.SequenceEqual(expected[run][u])) Interlocked.Increment(ref failures);
                    seen.TryAdd(b.GetProperty("generation").GetInt64(), 0);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }, cts.Token)).ToArray();
        await Task.WhenAll([reloads, .. clients]);
        Assert.Equal(0, failures);
        Assert.Equal(5, h.Service.Generation);
        Assert.True(seen.Count >= 2, $"the clients saw generations {string.Join(", ", seen.Keys)} only");
    }

    [Fact]
    public async Task Unknown_user_without_history_is_a_popularity_answer()
    {
        await using var h = await f.StartAsync();
        var r = await h.Client.PostAsync("/v1/recommend", Json("""{"user": "nobody", "k": 3, "exclude": ["zzz"]}"""));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        var b = await Body(r);
        Assert.Equal("popularity", b.GetProperty("fallback").GetString());
        Assert.True(b.GetProperty("unknownUser").GetBoolean());
        Assert.Equal("zzz", b.GetProperty("unknownItems")[0].GetString());
        Assert.Equal(3, b.GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Similar_batch_models_health_metrics_and_openapi_answer()
    {
        await using var h = await f.StartAsync();
        var sim = await h.Client.PostAsync("/v1/similar", Json("""{"item": "4", "k": 6}"""));
        Assert.Equal(HttpStatusCode.OK, sim.StatusCode);
        Assert.Equal(6, (await Body(sim)).GetProperty("items").GetArrayLength());
        await Problem(await h.Client.PostAsync("/v1/similar", Json("""{"item": "nope", "k": 6}""")), HttpStatusCode.NotFound, "unknown item");

        var batch = await h.Client.PostAsync("/v1/recommend/batch", Json("""{"requests": [{"user": "1", "k": 2}, {"user": "x"}]}"""));
        Assert.Equal(HttpStatusCode.OK, batch.StatusCode);
        Assert.Equal(2, (await Body(batch)).GetProperty("answers").GetArrayLength());

        var models = await Body(await h.Client.GetAsync("/v1/models"));
        Assert.Equal("mf", models.GetProperty("kind").GetString());
        Assert.Equal(80, models.GetProperty("items").GetInt32());
        Assert.Equal("a", models.GetProperty("version").GetString());

        Assert.Equal(HttpStatusCode.OK, (await h.Client.GetAsync("/healthz")).StatusCode);
        var ready = await h.Client.GetAsync("/readyz");
        Assert.Equal("a", (await Body(ready)).GetProperty("version").GetString());

        await h.Client.PostAsync("/v1/recommend", Json("{"));
        var metrics = await h.Client.GetStringAsync("/metrics");
        Assert.Contains("http_request_duration_seconds", metrics);
        Assert.Contains("recsys_serving_errors_total{code=\"400\"}", metrics);
        Assert.Contains("recsys_serving_snapshot_info{version=\"a\",kind=\"mf\"} 1", metrics);
        Assert.Contains("recsys_serving_snapshot_generation 1", metrics);

        var openapi = await Body(await h.Client.GetAsync("/openapi/v1.json"));
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/v1/recommend", out _));
    }

    [Theory]
    [InlineData("{", "JSON")]                                   // malformed JSON
    [InlineData("""{"user": 5}""", "JSON")]                     // wrong type
    [InlineData("""{"user": "1", "k": 0}""", "k")]
    [InlineData("""{"user": "1", "k": -3}""", "k")]
    [InlineData("""{"user": "1", "k": 51}""", "k")]              // over the configured max
    [InlineData("""{"user": "1", "history": ["1", "2", "3", "4"]}""", "history")]
    [InlineData("", "body")]                                     // no body at all
    public async Task Bad_recommend_requests_are_400_with_the_reason(string body, string reason)
    {
        await using var h = await f.StartAsync(new ServingOptions { MaxK = 50, MaxHistory = 3 });
        await Problem(await h.Client.PostAsync("/v1/recommend", Json(body)), HttpStatusCode.BadRequest, reason);
    }

    [Fact]
    public async Task K_over_the_item_count_and_oversized_bodies_are_400()
    {
        await using var h = await f.StartAsync(new ServingOptions { MaxBodyBytes = 256 });
        await Problem(await h.Client.PostAsync("/v1/recommend", Json("""{"user": "1", "k": 81}""")), HttpStatusCode.BadRequest, "k");
        var big = "{\"user\": \"1\", \"exclude\": [" + string.Join(",", Enumerable.Repeat("\"1\"", 100)) + "]}";
        await Problem(await h.Client.PostAsync("/v1/recommend", Json(big)), HttpStatusCode.BadRequest, "limit");
        // Without a declared length (chunked), the body is counted as it is read.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big)));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var req = new HttpRequestMessage(HttpMethod.Post, "/v1/recommend") { Content = chunked };
        req.Headers.TransferEncodingChunked = true;
        await Problem(await h.Client.SendAsync(req), HttpStatusCode.BadRequest, "limit");
    }

    [Fact]
    public async Task A_backend_that_cannot_answer_is_503_with_the_reason_not_500()
    {
        var down = ServingSnapshot.Load(f.RunA, f.Data, Tc.Catalog, "down", new MipsIndexChoice { Factory = new DownIndexFactory() });
        await using var h = await f.StartAsync(snapshot: down);
        await Problem(await h.Client.PostAsync("/v1/recommend", Json("""{"user": "1", "k": 5}""")), HttpStatusCode.ServiceUnavailable, "failover");
        // A request that is wrong is still the caller's 400, whatever the backend's state.
        await Problem(await h.Client.PostAsync("/v1/recommend", Json("""{"user": "1", "k": 0}""")), HttpStatusCode.BadRequest, "k");
    }

    /// <summary>An index whose backend is unreachable (a cluster between losing a shard's replicas and re-placing them).</summary>
    private sealed class DownIndexFactory : IMipsIndexFactory
    {
        public string Name => "down";
        public IMipsIndex Create(float[] items, int dim) => new Down(items.Length / dim, dim);

        private sealed class Down(int count, int dim) : IMipsIndex
        {
            public int Count => count;
            public int Dim => dim;
            public MipsResult Search(ReadOnlySpan<float> queries, int k, Exclusions? exclude = null) =>
                throw new BackendUnavailableException("no replica of shard 1 answered (failover in progress).");
            public void Dispose() { }
        }
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415()
    {
        await using var h = await f.StartAsync(new ServingOptions { AdminToken = Token, ReloadRoots = [f.Root] });
        await Problem(await h.Client.PostAsync("/v1/recommend", new StringContent("user=1", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        var admin = new HttpRequestMessage(HttpMethod.Post, "/admin/reload") { Content = new StringContent("run=x", Encoding.UTF8, "text/plain") };
        admin.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        await Problem(await h.Client.SendAsync(admin), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Admin_is_404_without_a_configured_token()
    {
        await using var h = await f.StartAsync();
        var r = await h.Client.PostAsync("/admin/reload", Json($$"""{"run": "{{f.RunB}}", "data": "{{f.DataDir}}"}"""));
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
    }

    [Fact]
    public async Task Reload_requires_the_token_and_paths_inside_the_roots_then_swaps()
    {
        await using var h = await f.StartAsync(new ServingOptions { AdminToken = Token, ReloadRoots = [f.Root] });
        string body = JsonSerializer.Serialize(new { run = f.RunB, data = f.DataDir });
        await Problem(await h.Client.PostAsync("/admin/reload", Json(body)), HttpStatusCode.Unauthorized);

        var wrong = new HttpRequestMessage(HttpMethod.Post, "/admin/reload") { Content = Json(body) };
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        await Problem(await h.Client.SendAsync(wrong), HttpStatusCode.Forbidden, "token");

        HttpRequestMessage Authorized(string b)
        {
            var m = new HttpRequestMessage(HttpMethod.Post, "/admin/reload") { Content = Json(b) };
            m.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            return m;
        }
        var outside = JsonSerializer.Serialize(new { run = Path.Combine(f.Root, "..", "elsewhere"), data = f.DataDir });
        await Problem(await h.Client.SendAsync(Authorized(outside)), HttpStatusCode.Forbidden, "outside");
        await Problem(await h.Client.SendAsync(Authorized("{")), HttpStatusCode.BadRequest);
        var missing = JsonSerializer.Serialize(new { run = Path.Combine(f.Root, "no-such-run"), data = f.DataDir });
        await Problem(await h.Client.SendAsync(Authorized(missing)), HttpStatusCode.BadRequest, "not found");

        var ok = await h.Client.SendAsync(Authorized(body));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(2, (await Body(ok)).GetProperty("generation").GetInt32());
        var after = await Body(await h.Client.PostAsJsonAsync("/v1/recommend", new { user = "3", k = 4 }));
        Assert.StartsWith("run-b@", after.GetProperty("version").GetString());
        Assert.Equal(2, after.GetProperty("generation").GetInt32());
    }

    [Fact]
    public async Task Unknown_routes_are_problem_404s()
    {
        await using var h = await f.StartAsync();
        await Problem(await h.Client.GetAsync("/v2/nothing"), HttpStatusCode.NotFound);
    }
}
