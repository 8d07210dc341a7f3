using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;
using static EbpfConsole.Lab.Api.Tests.TestObjects;

namespace EbpfConsole.Lab.Api.Tests;

public sealed class ObjectStoreCreateTests
{
    [Fact]
    public void Create_FillsMetadataAndTypeMeta()
    {
        var store = Store();
        var before = store.ResourceVersion;

        var cm = store.Create(ResourceCatalog.ConfigMaps, "default", Json("""{"metadata":{"name":"a"}}"""));

        Assert.Equal("v1", cm["apiVersion"]!.GetValue<string>());
        Assert.Equal("ConfigMap", cm["kind"]!.GetValue<string>());
        Assert.Equal("default", cm["metadata"]!["namespace"]!.GetValue<string>());
        Assert.True(Guid.TryParse(cm["metadata"]!["uid"]!.GetValue<string>(), out _));
        Assert.Equal("2025-05-01T12:00:00Z", cm["metadata"]!["creationTimestamp"]!.GetValue<string>());
        Assert.Equal((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), Rv(cm));
        Assert.Null(cm["metadata"]!["generation"]);
    }

    [Fact]
    public void Create_AppsType_StartsAtGeneration1()
    {
        var deploy = Store().Create(ResourceCatalog.Deployments, "default", Deployment("web"));

        Assert.Equal(1, deploy["metadata"]!["generation"]!.GetValue<long>());
        Assert.Equal(1, deploy["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void Create_Namespace_GetsFinalizerAndActivePhase()
    {
        var ns = Store().Create(ResourceCatalog.Namespaces, null, Namespace("team"));

        Assert.Equal("kubernetes", ns["spec"]!["finalizers"]![0]!.GetValue<string>());
        Assert.Equal("Active", ns["status"]!["phase"]!.GetValue<string>());
        Assert.Null(ns["metadata"]!["namespace"]);
    }

    [Fact]
    public void Create_Existing_IsAlreadyExists()
    {
        var store = Store();
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));

        var e = Assert.Throws<ApiException>(() => store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a")));

        Assert.Equal((409, "AlreadyExists"), (e.Code, e.Reason));
        Assert.Equal("configmaps \"a\" already exists", e.Message);
    }

    [Fact]
    public void Create_WrongKind_IsBadRequest()
    {
        var body = ConfigMap("a");
        body["kind"] = "Secret";

        var e = Assert.Throws<ApiException>(() => Store().Create(ResourceCatalog.ConfigMaps, "default", body));

        Assert.Equal(400, e.Code);
    }

    [Fact]
    public void Create_InvalidName_IsInvalidWithNameCause()
    {
        var e = Assert.Throws<ApiException>(() => Store().Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("Bad_Name")));

        Assert.Equal((422, "Invalid"), (e.Code, e.Reason));
        Assert.Equal("metadata.name", Assert.Single(e.Causes).Field);
        Assert.StartsWith("ConfigMap \"Bad_Name\" is invalid: metadata.name: Invalid value: \"Bad_Name\"", e.Message);
    }

    [Fact]
    public void Create_NoNameNorGenerateName_IsInvalid()
    {
        var e = Assert.Throws<ApiException>(() => Store().Create(ResourceCatalog.ConfigMaps, "default", Json("""{"data":{}}""")));

        Assert.Equal(422, e.Code);
        Assert.Contains("name or generateName is required", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_GenerateName_AppendsFiveCharactersFromTheServerAlphabet()
    {
        var pod = Store().Create(ResourceCatalog.Pods, "default", Json("""{"metadata":{"generateName":"calico-node-"},"spec":{"containers":[]}}"""));

        var name = pod["metadata"]!["name"]!.GetValue<string>();
        Assert.Matches("^calico-node-[bcdfghjklmnpqrstvwxz2456789]{5}$", name);
    }

    [Fact]
    public void Create_BodyNamespaceDiffersFromUrl_IsBadRequest()
    {
        var body = ConfigMap("a");
        body["metadata"]!["namespace"] = "kube-system";

        var e = Assert.Throws<ApiException>(() => Store().Create(ResourceCatalog.ConfigMaps, "default", body));

        Assert.Equal(400, e.Code);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", e.Message);
    }

    [Fact]
    public void Create_InMissingNamespace_IsNotFoundNamespace()
    {
        var e = Assert.Throws<ApiException>(() => Store().Create(ResourceCatalog.ConfigMaps, "nope", ConfigMap("a")));

        Assert.Equal(404, e.Code);
        Assert.Equal("namespaces \"nope\" not found", e.Message);
    }

    [Fact]
    public void Create_ClusterScoped_DropsNamespace()
    {
        var felix = Store().Create(ResourceCatalog.FelixConfigurations, null,
            Json("""{"apiVersion":"crd.projectcalico.org/v1","kind":"FelixConfiguration","metadata":{"name":"default","namespace":"x"},"spec":{}}"""));

        Assert.Null(felix["metadata"]!["namespace"]);
        Assert.Equal(1, felix["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public void Create_DryRun_ValidatesAndAnswersButStoresNothing()
    {
        var store = Store();
        var events = 0;
        store.Changed += _ => events++;
        var before = store.ResourceVersion;

        var cm = store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"), dryRun: true);

        Assert.Equal("a", cm["metadata"]!["name"]!.GetValue<string>());
        Assert.NotNull(cm["metadata"]!["uid"]);
        Assert.Null(store.TryGet(ResourceCatalog.ConfigMaps, "default", "a"));
        Assert.Equal(before, store.ResourceVersion);
        Assert.Equal(0, events);
        Assert.Throws<ApiException>(() => store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("Bad"), dryRun: true));
    }

    [Fact]
    public void Create_NodePortService_AllocatesClusterIpAndNodePortInRange()
    {
        var svc = Store().Create(ResourceCatalog.Services, "default", NodePortService("web"));

        var nodePort = svc["spec"]!["ports"]![0]!["nodePort"]!.GetValue<long>();
        Assert.InRange(nodePort, 30000, 32767);
        var ip = System.Net.IPAddress.Parse(svc["spec"]!["clusterIP"]!.GetValue<string>()).GetAddressBytes();
        Assert.Equal(10, ip[0]);
        Assert.InRange(ip[1], 96, 111);
        Assert.Equal("TCP", svc["spec"]!["ports"]![0]!["protocol"]!.GetValue<string>());
        Assert.Equal(80, svc["spec"]!["ports"]![0]!["targetPort"]!.GetValue<int>());
    }

    [Fact]
    public void Create_DuplicateNodePort_IsInvalidAlreadyAllocated()
    {
        var store = Store();
        store.Create(ResourceCatalog.Services, "default", NodePortService("a", 30604));

        var e = Assert.Throws<ApiException>(() => store.Create(ResourceCatalog.Services, "default", NodePortService("b", 30604)));

        Assert.Equal(422, e.Code);
        Assert.Contains("spec.ports[0].nodePort: Invalid value: 30604: provided port is already allocated", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ExplicitClusterIp_IsKeptAndThenTaken()
    {
        var store = Store();
        var body = Json("""{"metadata":{"name":"kubernetes"},"spec":{"clusterIP":"10.96.0.1","ports":[{"name":"https","port":443,"targetPort":6443}]}}""");
        var svc = store.Create(ResourceCatalog.Services, "default", body);
        Assert.Equal("10.96.0.1", svc["spec"]!["clusterIP"]!.GetValue<string>());

        body["metadata"]!["name"] = "other";
        var e = Assert.Throws<ApiException>(() => store.Create(ResourceCatalog.Services, "default", body));

        Assert.Equal(422, e.Code);
    }
}
