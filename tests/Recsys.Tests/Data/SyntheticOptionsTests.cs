using Recsys.Data.Synthetic;

namespace Recsys.Tests.Data;

public class SyntheticOptionsTests
{
    [Fact]
    public void Defaults_are_valid() => new SyntheticOptions().Validate();

    public static TheoryData<SyntheticOptions, string> Bad => new()
    {
        { new SyntheticOptions { Users = 0 }, "Users" },
        { new SyntheticOptions { Communities = 0 }, "Communities" },
        { new SyntheticOptions { Items = 10, Communities = 8 }, "Items" },
        { new SyntheticOptions { InteractionsPerUser = double.NaN }, "InteractionsPerUser" },
        { new SyntheticOptions { InteractionsPerUser = 3 }, "InteractionsPerUser" },
        { new SyntheticOptions { MinInteractionsPerUser = 1 }, "MinInteractionsPerUser" },
        { new SyntheticOptions { MinInteractionsPerUser = 101 }, "MinInteractionsPerUser" },
        { new SyntheticOptions { PopularityExponent = -1 }, "PopularityExponent" },
        { new SyntheticOptions { NoiseFraction = 1.5 }, "NoiseFraction" },
        { new SyntheticOptions { TestRatio = 1 }, "TestRatio" },
        { new SyntheticOptions { ValidRatio = -0.1 }, "ValidRatio" },
        { new SyntheticOptions { KgOnlyFraction = 0.2 }, "KgOnlyFraction" },
        { new SyntheticOptions { KgOnlyFraction = 0.95, WithKnowledgeGraph = true }, "KgOnlyFraction" },
        { new SyntheticOptions { KgOnlyFraction = 0.2, WithKnowledgeGraph = true, TestRatio = 0 }, "KgOnlyFraction" },
        { new SyntheticOptions { ArtistGroupSize = 0 }, "ArtistGroupSize" },
        { new SyntheticOptions { Name = " " }, "Name" },
    };

    [Theory]
    [MemberData(nameof(Bad))]
    public void Bad_options_name_themselves(SyntheticOptions o, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(o.Validate);
        Assert.Equal(name, e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => SyntheticGenerator.Generate(o));
    }

    [Fact]
    public void No_validation_split_and_tiny_users_still_work()
    {
        var d = SyntheticGenerator.Generate(new SyntheticOptions
        {
            Users = 50, Items = 20, Communities = 2, InteractionsPerUser = 5, MinInteractionsPerUser = 2, ValidRatio = 0,
            PopularityExponent = 3,
        });
        Assert.Null(d.Valid);
        d.Validate();
        Assert.Equal(50, d.Test.Users.Distinct().Count());
        Assert.Equal(50, d.Train.Users.Distinct().Count());
    }
}
