using System.Text.Json;
using Recsys.Devices;
using Recsys.Training;
using TorchSharp;

namespace Recsys.Tests.Devices;

public class DeviceChoiceTests
{
    [Theory]
    [InlineData("auto")]
    [InlineData("cpu")]
    [InlineData("cuda")]
    [InlineData("cuda:0")]
    [InlineData("cuda:3")]
    public void ParseAndToStringRoundTrip(string text) => Assert.Equal(text, DeviceChoice.Parse(text).ToString());

    [Fact]
    public void ParseGivesTheNamedValues()
    {
        Assert.Equal(DeviceChoice.Auto, DeviceChoice.Parse("auto"));
        Assert.Equal(DeviceChoice.Cpu, DeviceChoice.Parse("cpu"));
        Assert.Equal(DeviceChoice.Cuda(), DeviceChoice.Parse("cuda"));
        Assert.Equal(DeviceChoice.Cuda(2), DeviceChoice.Parse("cuda:2"));
        Assert.NotEqual(DeviceChoice.Cuda(), DeviceChoice.Cuda(0));   // "cuda" (current device) is not "cuda:0"
        Assert.Equal(DeviceChoice.Auto, default);
        Assert.True(DeviceChoice.Auto.IsAuto && DeviceChoice.Cpu.IsCpu && DeviceChoice.Cuda(1).IsCuda);
        Assert.Equal(1, DeviceChoice.Cuda(1).CudaIndex);
        Assert.Null(DeviceChoice.Cuda().CudaIndex);
        Assert.Null(DeviceChoice.Cpu.CudaIndex);
    }

    [Theory]
    [InlineData("")]
    [InlineData("tpu")]
    [InlineData("CPU")]
    [InlineData(" cpu")]
    [InlineData("cuda:")]
    [InlineData("cuda:-1")]
    [InlineData("cuda:x")]
    [InlineData("cuda:1 ")]
    [InlineData("cuda:99999999999")]
    public void BadStringsThrowNamingTheAcceptedForms(string text)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceChoice.Parse(text));
        Assert.Equal("device", e.ParamName);
        Assert.Contains("expected auto, cpu, cuda or cuda:N", e.Message);
        Assert.Contains($"got '{text}'", e.Message);
        Assert.Equal("--device", Assert.Throws<ArgumentOutOfRangeException>(() => DeviceChoice.Parse(text, "--device")).ParamName);
    }

    [Fact]
    public void NullAndNegativeIndexAreRejected()
    {
        Assert.Throws<ArgumentNullException>(() => DeviceChoice.Parse(null!));
        Assert.Equal("index", Assert.Throws<ArgumentOutOfRangeException>(() => DeviceChoice.Cuda(-1)).ParamName);
    }

    [Fact]
    public void ResolveCpuAndAuto()
    {
        Assert.Equal(DeviceType.CPU, DeviceChoice.Cpu.Resolve().type);
        Assert.Equal(torch.cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, DeviceChoice.Auto.Resolve().type);
    }

    [Fact]
    public void ResolveCudaWithoutCudaThrowsInsteadOfFallingBackToCpu()
    {
        if (torch.cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, DeviceChoice.Cuda().Resolve().type);
            Assert.Equal(0, DeviceChoice.Cuda(0).Resolve().index);
            return;
        }
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => DeviceChoice.Cuda().Resolve());
        Assert.Contains("cuda was requested but no CUDA device is available", e.Message);
        Assert.Equal("device", e.ParamName);   // the domain concept; the CLI maps it to --device
        Assert.Contains("choose device cpu or auto", e.Message);
        Assert.DoesNotContain("--", e.Message);
        Assert.Contains("cuda:1 was requested", Assert.Throws<ArgumentOutOfRangeException>(() => DeviceChoice.Cuda(1).Resolve()).Message);
    }

    [Fact]
    public void JsonHoldsThePlainString()
    {
        foreach (var d in new[] { DeviceChoice.Auto, DeviceChoice.Cpu, DeviceChoice.Cuda(), DeviceChoice.Cuda(1) })
        {
            var json = JsonSerializer.Serialize(d, Tc.Catalog.Json);
            Assert.Equal($"\"{d}\"", json);
            Assert.Equal(d, JsonSerializer.Deserialize<DeviceChoice>(json, Tc.Catalog.Json));
            Assert.Equal(json, JsonSerializer.Serialize(d));                        // the attribute applies without Tc.Catalog.Json too
        }
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DeviceChoice>("\"tpu\"", Tc.Catalog.Json));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DeviceChoice>("1", Tc.Catalog.Json));
    }
}
