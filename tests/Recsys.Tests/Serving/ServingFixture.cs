using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Recsys.Data;
using Recsys.Data.Synthetic;
using Recsys.Devices;
using Recsys.Models;
using Recsys.Serving;
using Recsys.Serving.Http;
using Recsys.Tests.Infrastructure;
using Recsys.Training;

namespace Recsys.Tests.Serving;

/// <summary>
/// Shared by the serving tests: a small synthetic dataset written to a folder, and two 2-epoch MF runs over it with
/// different seeds (so a swap between them changes the answers), all under one root that reload tests allow.
/// </summary>
public sealed class ServingFixture
{
    public ServingFixture()
    {
        Data = SyntheticGenerator.Generate(new SyntheticOptions { Users = 60, Items = 80, Seed = 1 });
        Root = TestPaths.NewTempDir();
        DataDir = Path.Combine(Root, "data");
        DatasetFolder.Write(Data, DataDir);
        RunA = Train("run-a", 1);
        RunB = Train("run-b", 2);
    }

    public Dataset Data { get; }
    public string Root { get; }
    public string DataDir { get; }
    public string RunA { get; }
    public string RunB { get; }

    private string Train(string name, ulong seed)
    {
        var dir = Path.Combine(Root, name);
        new Trainer(Tc.Catalog).Train(ModelInputs.From(Data), new MfOptions { Dim = 8 },
            new TrainerOptions { Epochs = 2, BatchSize = 64, EvalEvery = 0, Seed = seed, Device = DeviceChoice.Cpu }, dir);
        return dir;
    }

    public ServingSnapshot Snapshot(string run, string? version = null) => ServingSnapshot.Load(run, Data, Tc.Catalog, version);

    /// <summary>A started in-process host (test server) over a new service on run A (or <paramref name="snapshot"/>); dispose to stop both.</summary>
    public async Task<TestHostHandle> StartAsync(ServingOptions? options = null, ServingSnapshot? snapshot = null)
    {
        var service = new RecommendationService(snapshot ?? Snapshot(RunA, "a"), options);
        var app = ServingHost.Build(service, (r, d) => ServingSnapshot.Load(r, d, Tc.Catalog), b =>
        {
            b.WebHost.UseTestServer();
            b.Logging.ClearProviders();
        });
        await app.StartAsync();
        return new TestHostHandle(app, service, app.GetTestClient());
    }
}

/// <summary>A running test host, its service and a client; disposing stops the host and releases the model.</summary>
public sealed class TestHostHandle(WebApplication app, RecommendationService service, HttpClient client) : IAsyncDisposable
{
    public RecommendationService Service { get; } = service;
    public HttpClient Client { get; } = client;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
        Service.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class ServingCollection : ICollectionFixture<ServingFixture>
{
    public const string Name = "serving";
}
