using Recsys.Data;
using Recsys.Data.Import;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.Data;

public class ImporterRoundTripTests
{
    private readonly string _dir = TestPaths.NewTempDir();

    [Fact]
    public void LightGcnReadsListsAndSizesFromBothFiles()
    {
        var train = DataFiles.Write(_dir, "toy/train.txt", "0 0 1 2\n1 2\n2\n");
        var test = DataFiles.Write(_dir, "toy/test.txt", "0 3\n1 5 0\n3 1\n");
        var d = LightGcnImporter.Import(new LightGcnImportOptions { TrainFile = train, TestFile = test });
        Assert.Equal("toy", d.Name);
        Assert.Equal(4, d.NumUsers);   // user 3 only in test
        Assert.Equal(6, d.NumItems);   // item 5 only in test
        Assert.Equal(new[] { 0, 0, 0, 1 }, d.Train.Users);
        Assert.Equal(new[] { 0, 1, 2, 2 }, d.Train.Items);
        Assert.Equal(new[] { 0, 1, 1, 3 }, d.Test.Users);
        Assert.Equal(new[] { 3, 5, 0, 1 }, d.Test.Items);
        DataFiles.RoundTrip(d);
    }

    [Fact]
    public void LightGcnAcceptsCrlfTabsAndNoFinalNewline()
    {
        var train = DataFiles.Write(_dir, "train.txt", "0\t1  2\r\n\r\n1 0\r\n");
        var test = DataFiles.Write(_dir, "test.txt", "0 0");
        var d = LightGcnImporter.Import(new LightGcnImportOptions { TrainFile = train, TestFile = test });
        Assert.Equal(new[] { (0, 1), (0, 2), (1, 0) }, DataFiles.Pairs(d.Train));
        Assert.Equal(new[] { (0, 0) }, DataFiles.Pairs(d.Test));
    }

    [Fact]
    public void KgatItemsAreFirstEntitiesAndRelationNamesAreIds()
    {
        var train = DataFiles.Write(_dir, "train.txt", "0 0 1\n1 2\n");
        var test = DataFiles.Write(_dir, "test.txt", "0 2\n");
        var kg = DataFiles.Write(_dir, "kg_final.txt", "0 0 3\n1 2 4\n2 0 6\n");
        var d = KgatImporter.Import(new KgatImportOptions { TrainFile = train, TestFile = test, KgFile = kg });
        Assert.Equal(3, d.NumItems);
        var k = d.Knowledge!;
        Assert.Equal(7, k.NumEntities);
        Assert.Equal(new[] { "0", "1", "2" }, k.RelationNames);
        Assert.Equal(new[] { 0, 1, 2 }, k.Heads);
        Assert.Equal(new[] { 0, 2, 0 }, k.Relations);
        Assert.Equal(new[] { 3, 4, 6 }, k.Tails);
        DataFiles.RoundTrip(d);
    }

    [Fact]
    public void KgatEntityCountIsAtLeastItemCount()
    {
        var train = DataFiles.Write(_dir, "train.txt", "0 0 9\n");
        var test = DataFiles.Write(_dir, "test.txt", "0 1\n");
        var kg = DataFiles.Write(_dir, "kg_final.txt", "0 0 1\n");
        var d = KgatImporter.Import(new KgatImportOptions { TrainFile = train, TestFile = test, KgFile = kg });
        Assert.Equal(10, d.Knowledge!.NumEntities);
    }

    [Fact]
    public void KgcnKeepsLinkedArtistsMapsUsersInRawOrderAndSplitsPerUser()
    {
        var input = Path.Combine(_dir, "music");
        // Artist 99 has no entity: dropped. Users 7 and 3 → dense 1 and 0 (ascending raw order).
        DataFiles.Write(input, "user_artists.dat",
            "userID\tartistID\tweight\n7\t10\t100\n7\t11\t50\n7\t99\t5\n7\t12\t7\n7\t13\t8\n7\t14\t9\n3\t11\t3\n");
        DataFiles.Write(input, "item_index2entity_id.txt", "10\t0\r\n11\t1\r\n12\t2\r\n13\t3\r\n14\t4\r\n");
        DataFiles.Write(input, "kg.txt", "0\tmusic.artist.origin\t5\r\n1\tmusic.artist.genre\t6\r\n2\tmusic.artist.origin\t6\r\n");
        var d = KgcnImporter.Import(new KgcnImportOptions { InputFolder = input, Seed = 7 });
        Assert.Equal("music", d.Name);
        Assert.Equal(2, d.NumUsers);
        Assert.Equal(5, d.NumItems);
        Assert.Equal(new[] { "3", "7" }, d.UserRawIds);
        Assert.Equal(new[] { "10", "11", "12", "13", "14" }, d.ItemRawIds);
        Assert.Equal(new[] { "music.artist.origin", "music.artist.genre" }, d.Knowledge!.RelationNames);
        Assert.Equal(new[] { 0, 1, 0 }, d.Knowledge.Relations);
        Assert.Equal(7, d.Knowledge.NumEntities);
        // User 7 (dense 1) has 5 linked artists → round(5 × 0.2) = 1 test; user 3 has 1 → stays in train.
        Assert.Equal(6, d.Train.Count + d.Test.Count);
        Assert.Single(d.Test.Users);
        Assert.Equal(1, d.Test.Users[0]);
        var all = Interactions.Concat(d.Train, d.Test);
        var weightOf = Enumerable.Range(0, all.Count).ToDictionary(r => (all.Users[r], all.Items[r]), r => all.Weights![r]);
        Assert.Equal(100f, weightOf[(1, 0)]);
        Assert.Equal(3f, weightOf[(0, 1)]);
        DataFiles.RoundTrip(d);
    }

    [Fact]
    public void SequencesLeaveLastOutWithPositionsAsTimestamps()
    {
        var seq = DataFiles.Write(_dir, "Beauty.txt", "1 1 2 3 4\n2 3 1\n3 5\n");
        var attrs = DataFiles.Write(_dir, "item_attributes.tsv",
            "item_id\tasin\tattributes\n1\tA1\tOPI|Nails\n2\tA2\t|Nails\n5\tA5\tOPI\n4\tA4\t\n");
        var d = SequenceImporter.Import(new SequenceImportOptions { InputFile = seq, AttributesFile = attrs });
        Assert.Equal("Beauty", d.Name);
        Assert.Equal(3, d.NumUsers);
        Assert.Equal(5, d.NumItems);
        // dense = raw − 1. User 0: 0 1 2 3 → train 0 1, valid 2, test 3. User 1: 2 0 → train 2, test 0. User 2: one item → train.
        Assert.Equal(new[] { (0, 0), (0, 1), (1, 2), (2, 4) }, DataFiles.Pairs(d.Train));
        Assert.Equal(new[] { (0, 2) }, DataFiles.Pairs(d.Valid!));
        Assert.Equal(new[] { (0, 3), (1, 0) }, DataFiles.Pairs(d.Test));
        Assert.Equal(new long[] { 3, 1 }, d.Test.Timestamps);
        Assert.Equal(new[] { "1", "2", "3" }, d.UserRawIds);
        var at = d.Attributes!;
        Assert.Equal(new[] { "OPI", "Nails", "" }, at.Names);   // empty brand is an attribute, as in S3-Rec
        Assert.Equal(new[] { 0, 0, 1, 1, 4 }, at.Items);
        Assert.Equal(new[] { 0, 1, 2, 1, 0 }, at.Attributes);
        DataFiles.RoundTrip(d);
    }

    [Fact]
    public void CsvMapsStringIdsFiltersRatingsAndParsesTimes()
    {
        var csv = DataFiles.Write(_dir, "ratings.csv",
            "user,item,rating,time\nalice,\"The Matrix, 1999\",5,100\nbob,Up,2,2020-01-01\nbob,\"The Matrix, 1999\",4,1970-01-01T00:05:00Z\n");
        var d = CsvImporter.Import(new CsvImportOptions
        {
            InputFile = csv, UserColumn = "user", ItemColumn = "item", RatingColumn = "rating", MinRating = 3, TimeColumn = "time",
        });
        Assert.Equal(2, d.NumUsers);
        Assert.Equal(1, d.NumItems);
        Assert.Equal(new[] { "alice", "bob" }, d.UserRawIds);
        Assert.Equal(new[] { "The Matrix, 1999" }, d.ItemRawIds);
        Assert.Equal(new[] { 0, 1 }, d.Train.Users);
        Assert.Equal(new[] { 5f, 4f }, d.Train.Weights);
        Assert.Equal(new long[] { 100, 300 }, d.Train.Timestamps);
        Assert.Equal(0, d.Test.Count);
        var back = DataFiles.RoundTrip(d);
        Assert.NotNull(back.Test.Timestamps); // empty test keeps the columns, so a re-split keeps timestamps
    }

    [Fact]
    public void CsvWithoutHeaderUsesColumnIndicesAndTabs()
    {
        var csv = DataFiles.Write(_dir, "log.tsv", "x\tu1\ti1\nx\tu2\ti1\n");
        var d = CsvImporter.Import(new CsvImportOptions { InputFile = csv, UserColumn = "1", ItemColumn = "2", Delimiter = '\t', HasHeader = false });
        Assert.Equal(new[] { "u1", "u2" }, d.UserRawIds);
        Assert.Equal(new[] { (0, 0), (1, 0) }, DataFiles.Pairs(d.Train));
    }
}
