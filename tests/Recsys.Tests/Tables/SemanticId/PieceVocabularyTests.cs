using Recsys.Tables.SemanticId;
using Piece = Recsys.Tables.SemanticId.PieceVocabulary.Piece;

namespace Recsys.Tests.Tables.SemanticId;

public class PieceVocabularyTests
{
    // Items (0,0,0) (0,0,1) (0,1,0) (1,0,0). Unigram ids in order of appearance: 0:0, 1:0, 2:0, 2:1, 1:1, 0:1 (6).
    private static readonly int[][] Corpus = [[0, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0]];

    [Fact]
    public void BpeOnATinyCorpusGivesTheExpectedVocabulary()
    {
        // Pair weights: (0:0, 1:0) = 2 (items 0, 1), (1:0, 2:0) = 2 (items 0, 3), the rest 1. The tie goes to the pair of lower
        // ids, (0:0, 1:0) → 0:[0,0] (7 pieces); then all pairs weigh 1 and the lowest ids are (0:0, 1:1) → 0:[0,1] (8 pieces).
        // 0:0 and 1:1 are then unused and dropped.
        var v = PieceVocabulary.Learn(Corpus, budget: 8);
        Assert.Equal(new Piece[] { new(1, [0]), new(2, [0]), new(2, [1]), new(0, [1]), new(0, [0, 0]), new(0, [0, 1]) }, v.Pieces);
        Assert.Equal(new int[][] { [4, 1], [4, 2], [5, 1], [3, 0, 1] }, v.Segmentation);
    }

    [Fact]
    public void WeightsDecideWhichPairMergesFirst()
    {
        // Item 3 weighs 5: (1:0, 2:0) now weighs 1 + 5 = 6 against (0:0, 1:0)'s 2, so 1:[0,0] is the first piece.
        var v = PieceVocabulary.Learn(Corpus, budget: 7, weights: [1, 1, 1, 5]);
        Assert.Equal(new Piece(1, [0, 0]), v.Pieces[^1]);
        Assert.Equal(new int[][] { [0, 6], [0, 1, 3], [0, 4, 2], [5, 6] }, v.Segmentation);
    }

    [Fact]
    public void ABudgetOfTheUnigramsMergesNothingAndALargeOneMakesEveryItemOnePiece()
    {
        var v = PieceVocabulary.Learn(Corpus, budget: 6);
        Assert.Equal(6, v.Pieces.Count);
        Assert.All(v.Segmentation, s => Assert.Equal(3, s.Length));
        Assert.Equal(6, PieceVocabulary.BaseSize(Corpus));

        var whole = PieceVocabulary.Learn(Corpus, budget: 1000);
        Assert.All(whole.Segmentation, s => Assert.Single(s));
        Assert.Equal(Corpus.Select(c => new Piece(0, c)), whole.Segmentation.Select(s => whole.Pieces[s[0]]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PieceVocabulary.Learn(Corpus, budget: 5));
    }

    [Fact]
    public void EverySegmentationSpellsItsItemsCodes()
    {
        var rng = new Random(4);
        var corpus = Enumerable.Range(0, 300).Select(_ => new[] { rng.Next(4), rng.Next(4), rng.Next(8), rng.Next(3) }).ToArray();
        foreach (int budget in new[] { 19, 40, 120, 400 })
        {
            var v = PieceVocabulary.Learn(corpus, budget, corpus.Select((_, i) => (double)(i % 7)).ToArray());
            Assert.InRange(v.Pieces.Count, 1, budget);
            Assert.Equal(v.Pieces.Count, v.Pieces.Distinct().Count());
            Assert.Equal(Enumerable.Range(0, v.Pieces.Count), v.Segmentation.SelectMany(s => s).Distinct().Order()); // every kept piece is used
            for (int i = 0; i < corpus.Length; i++)
            {
                var spelled = v.Segmentation[i].SelectMany(p => v.Pieces[p].Codes).ToArray();
                Assert.Equal(corpus[i], spelled);
                int level = 0;
                foreach (var p in v.Segmentation[i]) { Assert.Equal(level, v.Pieces[p].Start); level += v.Pieces[p].Codes.Length; }
            }
        }
    }
}
