using System.Threading.Channels;
using Recsys.Retrieval.Mips;
using Recsys.Retrieval.Recommenders;

namespace Recsys.Serving;

/// <summary>
/// Coalesces concurrent known-user requests into one multi-query search of the snapshot's index: each worker takes
/// every request queued at that moment (up to <see cref="ServingOptions.MaxCoalesced"/>) — no waiting for a batch to
/// fill, so an idle service adds no delay — and answers them with one <see cref="FittedRecommender.Search"/>. The
/// multi-query kernel reads the item vectors once per block of queries instead of once per query. Answers equal the
/// unbatched ones: each row has its own exclusions, and the first k of a top-K list (ties broken by the lower id) is
/// the top-k.
/// </summary>
internal sealed class RequestBatcher : IDisposable
{
    private readonly FittedRecommender _recommender;
    private readonly int _max;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });
    private readonly Task[] _workers;

    public RequestBatcher(FittedRecommender recommender, int maxCoalesced, int workers)
    {
        _recommender = recommender;
        _max = maxCoalesced;
        _workers = [.. Enumerable.Range(0, workers).Select(_ => Task.Run(WorkAsync))];
    }

    private long _searches, _requests;

    /// <summary>Coalesced searches run and the requests they answered (their ratio is the mean batch size).</summary>
    public (long Searches, long Requests) Stats => (Interlocked.Read(ref _searches), Interlocked.Read(ref _requests));

    /// <summary>The top <paramref name="k"/> items for known user <paramref name="user"/>, never returning <paramref name="exclude"/> (sorted).</summary>
    public Task<(int[] Items, float[] Scores)> SearchAsync(int user, int k, int[] exclude)
    {
        var p = new Pending(user, k, exclude, new TaskCompletionSource<(int[], float[])>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(p)) throw new ObjectDisposedException(nameof(RequestBatcher));
        return p.Done.Task;
    }

    private async Task WorkAsync()
    {
        var batch = new List<Pending>(_max);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < _max && reader.TryRead(out var p)) batch.Add(p);
            if (batch.Count > 0) Run(batch);
        }
    }

    private void Run(List<Pending> batch)
    {
        try
        {
            var users = new int[batch.Count];
            var rowPtr = new int[batch.Count + 1];
            int k = 0;
            for (int i = 0; i < batch.Count; i++)
            {
                users[i] = batch[i].User;
                rowPtr[i + 1] = rowPtr[i] + batch[i].Exclude.Length;
                k = Math.Max(k, batch[i].K);
            }
            var ids = new int[rowPtr[^1]];
            for (int i = 0; i < batch.Count; i++) batch[i].Exclude.CopyTo(ids, rowPtr[i]);
            var result = _recommender.Search(users, k, new Exclusions(rowPtr, ids));
            Interlocked.Increment(ref _searches);
            Interlocked.Add(ref _requests, batch.Count);
            for (int i = 0; i < batch.Count; i++)
            {
                var rowIds = result.IdsOf(i)[..batch[i].K];
                int n = 0;
                while (n < rowIds.Length && rowIds[n] >= 0) n++;
                batch[i].Done.TrySetResult((rowIds[..n].ToArray(), result.ScoresOf(i)[..n].ToArray()));
            }
        }
        catch (Exception e)
        {
            foreach (var p in batch) p.Done.TrySetException(e);
        }
    }

    /// <summary>Stops taking requests; those queued are still answered.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        Task.WaitAll(_workers, TimeSpan.FromSeconds(30));
    }

    private sealed record Pending(int User, int K, int[] Exclude, TaskCompletionSource<(int[], float[])> Done);
}
