using Recsys.IO;
using Recsys.Tests.Infrastructure;

namespace Recsys.Tests.IO;

public class OutputGuardTests
{
    [Fact]
    public void RefusesAnOutputThatIsContainsOrLiesInsideAnInput()
    {
        var dir = TestPaths.NewTempDir();
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        var train = Path.Combine(data, "train.txt");
        File.WriteAllText(train, "0 1\n");
        Assert.Contains("is the input --data", Assert.Throws<IOException>(() => OutputGuard.RefuseOverlap("--out", data, ("--data", data))).Message);
        Assert.Contains("contains the input --train", Assert.Throws<IOException>(() => OutputGuard.RefuseOverlap("--out", data, ("--train", train))).Message);
        Assert.Contains("lies inside the input --data", Assert.Throws<IOException>(() => OutputGuard.RefuseOverlap("--out", Path.Combine(data, "r"), ("--data", data))).Message);
        OutputGuard.RefuseOverlap("--out", Path.Combine(dir, "data2"), ("--data", data), ("--run", null));
    }

    [Fact]
    public void SeesThroughRelativePathsAndSymbolicLinks()
    {
        var dir = TestPaths.NewTempDir();
        var data = Path.Combine(dir, "data");
        Directory.CreateDirectory(data);
        var link = Path.Combine(dir, "alias");
        Directory.CreateSymbolicLink(link, data);
        Assert.Throws<IOException>(() => OutputGuard.RefuseOverlap("--out", link, ("--data", data)));
        Assert.Throws<IOException>(() => OutputGuard.RefuseOverlap("--out", Path.Combine(data, "..", "alias", "sub"), ("--data", data)));
        Assert.Throws<IOException>(() => OutputGuard.RefuseOverlap("--out", data + Path.DirectorySeparatorChar, ("--data", link)));
    }

    [Fact]
    public void ExistingFilesAndFoldersNeedOverwrite()
    {
        var dir = TestPaths.NewTempDir();
        var file = Path.Combine(dir, "x.npy");
        File.WriteAllText(file, "");
        Assert.Contains("--force", Assert.Throws<IOException>(() => OutputGuard.RefuseExistingFile("--out", file, overwrite: false)).Message);
        OutputGuard.RefuseExistingFile("--out", file, overwrite: true);
        OutputGuard.RefuseExistingFile("--out", Path.Combine(dir, "new.npy"), overwrite: false);
        Assert.Throws<IOException>(() => OutputGuard.RefuseExistingFile("--out", dir, overwrite: true));
        Assert.Throws<IOException>(() => OutputGuard.RefuseExistingFolder("--out", dir, overwrite: false));
        OutputGuard.RefuseExistingFolder("--out", dir, overwrite: true);
    }
}
