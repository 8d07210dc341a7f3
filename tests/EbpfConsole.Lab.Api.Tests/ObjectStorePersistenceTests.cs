using EbpfConsole.Lab.Api;
using static EbpfConsole.Lab.Api.Tests.TestObjects;

namespace EbpfConsole.Lab.Api.Tests;

public sealed class ObjectStorePersistenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("labapi-").FullName;

    private string StatePath => Path.Combine(_dir, "api", "state.json");

    [Fact]
    public void Reopen_KeepsEveryObjectAndTheResourceVersionCounter()
    {
        var store = Store(StatePath);
        var svc = store.Create(ResourceCatalog.Services, "default", NodePortService("web", 30604));
        store.Create(ResourceCatalog.FelixConfigurations, null, Json("""{"metadata":{"name":"default"},"spec":{"bpfEnabled":true}}"""));
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("gone"));
        store.Delete(ResourceCatalog.ConfigMaps, "default", "gone");
        var version = store.ResourceVersion;

        var reopened = Store(StatePath);

        Assert.Equal(version, reopened.ResourceVersion);
        Assert.Equal(Rv(svc), Rv(reopened.Get(ResourceCatalog.Services, "default", "web")));
        Assert.True(reopened.Get(ResourceCatalog.FelixConfigurations, null, "default")["spec"]!["bpfEnabled"]!.GetValue<bool>());
        Assert.Null(reopened.TryGet(ResourceCatalog.ConfigMaps, "default", "gone"));
        var next = reopened.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("new"));
        Assert.Equal(version + 1, long.Parse(Rv(next), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Throws<ApiException>(() => reopened.Create(ResourceCatalog.Services, "default", NodePortService("web2", 30604)));
    }

    [Fact]
    public void Open_CorruptFile_FailsWithOneLineNamingTheFile()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(StatePath)!);
        File.WriteAllText(StatePath, "{\"resourceVersion\": \"12\", \"items\": [");

        var e = Assert.Throws<InvalidDataException>(() => new ObjectStore(StatePath));

        Assert.Contains(StatePath, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void DryRun_DoesNotWriteTheFile()
    {
        Store(StatePath);
        var before = File.ReadAllText(StatePath);

        new ObjectStore(StatePath).Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"), dryRun: true);

        Assert.Equal(before, File.ReadAllText(StatePath));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
