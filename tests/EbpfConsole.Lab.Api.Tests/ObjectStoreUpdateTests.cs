using EbpfConsole.Lab.Api;
using static EbpfConsole.Lab.Api.Tests.TestObjects;

namespace EbpfConsole.Lab.Api.Tests;

public sealed class ObjectStoreUpdateTests
{
    [Fact]
    public void Update_StaleResourceVersion_IsConflict()
    {
        var store = Store();
        var cm = store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));
        var stale = Rv(cm);
        cm["data"]!["k"] = "v2";
        store.Update(ResourceCatalog.ConfigMaps, "default", "a", cm);

        cm["data"]!["k"] = "v3";
        var e = Assert.Throws<ApiException>(() => store.Update(ResourceCatalog.ConfigMaps, "default", "a", cm));

        Assert.Equal((409, "Conflict"), (e.Code, e.Reason));
        Assert.Equal(stale, Rv(cm));
        Assert.Equal("v2", store.Get(ResourceCatalog.ConfigMaps, "default", "a")["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public void Update_WithoutResourceVersion_IsUnconditionalAndKeepsUidAndCreation()
    {
        var store = Store();
        var created = store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));

        var updated = store.Update(ResourceCatalog.ConfigMaps, "default", "a", Json("""{"metadata":{"name":"a"},"data":{"k":"x"}}"""));

        Assert.Equal(created["metadata"]!["uid"]!.GetValue<string>(), updated["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal(created["metadata"]!["creationTimestamp"]!.GetValue<string>(), updated["metadata"]!["creationTimestamp"]!.GetValue<string>());
        Assert.True(long.Parse(Rv(updated), System.Globalization.CultureInfo.InvariantCulture) > long.Parse(Rv(created), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Update_Missing_IsNotFound()
    {
        var e = Assert.Throws<ApiException>(() => Store().Update(ResourceCatalog.ConfigMaps, "default", "a", ConfigMap("a")));

        Assert.Equal(404, e.Code);
    }

    [Fact]
    public void Update_NameDiffersFromUrl_IsBadRequest()
    {
        var store = Store();
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));

        var e = Assert.Throws<ApiException>(() => store.Update(ResourceCatalog.ConfigMaps, "default", "a", ConfigMap("b")));

        Assert.Equal(400, e.Code);
    }

    [Fact]
    public void Update_NoChange_DoesNotBumpResourceVersionOrEmit()
    {
        var store = Store();
        var cm = store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));
        var events = 0;
        store.Changed += _ => events++;

        var again = store.Update(ResourceCatalog.ConfigMaps, "default", "a", cm);

        Assert.Equal(Rv(cm), Rv(again));
        Assert.Equal(0, events);
    }

    [Fact]
    public void Update_SpecChange_BumpsGenerationButMetadataChangeDoesNot()
    {
        var store = Store();
        var deploy = store.Create(ResourceCatalog.Deployments, "default", Deployment("web"));
        deploy["metadata"]!["labels"] = Json("""{"x":"y"}""");
        deploy = store.Update(ResourceCatalog.Deployments, "default", "web", deploy);
        Assert.Equal(1, deploy["metadata"]!["generation"]!.GetValue<long>());

        deploy["spec"]!["replicas"] = 3;
        deploy = store.Update(ResourceCatalog.Deployments, "default", "web", deploy);

        Assert.Equal(2, deploy["metadata"]!["generation"]!.GetValue<long>());
    }

    [Fact]
    public void Update_IgnoresStatusButUpdateStatusTakesOnlyStatus()
    {
        var store = Store();
        store.Create(ResourceCatalog.Pods, "default", Pod("p"));
        var body = store.Get(ResourceCatalog.Pods, "default", "p");
        body["status"] = Json("""{"phase":"Failed"}""");
        body["metadata"]!["labels"] = Json("""{"app":"other"}""");

        var afterUpdate = store.Update(ResourceCatalog.Pods, "default", "p", body);
        Assert.Equal("Running", afterUpdate["status"]!["phase"]!.GetValue<string>());

        body = store.Get(ResourceCatalog.Pods, "default", "p");
        body["status"] = Json("""{"phase":"Succeeded"}""");
        body["metadata"]!["labels"] = Json("""{"app":"third"}""");
        var afterStatus = store.UpdateStatus(ResourceCatalog.Pods, "default", "p", body);

        Assert.Equal("Succeeded", afterStatus["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("other", afterStatus["metadata"]!["labels"]!["app"]!.GetValue<string>());
    }

    [Fact]
    public void Update_ServiceWithoutAddresses_KeepsClusterIpAndNodePort()
    {
        var store = Store();
        var svc = store.Create(ResourceCatalog.Services, "default", NodePortService("web"));

        var updated = store.Update(ResourceCatalog.Services, "default", "web", NodePortService("web"));

        Assert.Equal(svc["spec"]!["clusterIP"]!.GetValue<string>(), updated["spec"]!["clusterIP"]!.GetValue<string>());
        Assert.Equal(svc["spec"]!["ports"]![0]!["nodePort"]!.GetValue<long>(), updated["spec"]!["ports"]![0]!["nodePort"]!.GetValue<long>());
    }

    [Fact]
    public void Update_DryRun_ReturnsResultWithoutStoring()
    {
        var store = Store();
        var cm = store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));
        cm["data"]!["k"] = "dry";

        var result = store.Update(ResourceCatalog.ConfigMaps, "default", "a", cm, dryRun: true);

        Assert.Equal("dry", result["data"]!["k"]!.GetValue<string>());
        Assert.Equal("v", store.Get(ResourceCatalog.ConfigMaps, "default", "a")["data"]!["k"]!.GetValue<string>());
        Assert.Equal(Rv(cm), Rv(store.Get(ResourceCatalog.ConfigMaps, "default", "a")));
    }

    [Fact]
    public void Delete_ReturnsObjectAndEmitsDeleted()
    {
        var store = Store();
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));
        var seen = new List<StoreChange>();
        store.Changed += seen.Add;

        var gone = store.Delete(ResourceCatalog.ConfigMaps, "default", "a");

        Assert.Equal("a", gone["metadata"]!["name"]!.GetValue<string>());
        Assert.Null(store.TryGet(ResourceCatalog.ConfigMaps, "default", "a"));
        Assert.Equal("DELETED", Assert.Single(seen).Type);
    }

    [Fact]
    public void Delete_PreconditionMismatch_IsConflict()
    {
        var store = Store();
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));

        var e = Assert.Throws<ApiException>(() => store.Delete(ResourceCatalog.ConfigMaps, "default", "a", preconditionResourceVersion: "1"));

        Assert.Equal(409, e.Code);
        Assert.NotNull(store.TryGet(ResourceCatalog.ConfigMaps, "default", "a"));
    }

    [Fact]
    public void Delete_DryRun_KeepsObject()
    {
        var store = Store();
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));

        store.Delete(ResourceCatalog.ConfigMaps, "default", "a", dryRun: true);

        Assert.NotNull(store.TryGet(ResourceCatalog.ConfigMaps, "default", "a"));
    }

    [Fact]
    public void Delete_Namespace_RemovesEverythingInItWithEvents()
    {
        var store = Store();
        store.Create(ResourceCatalog.Namespaces, null, Namespace("team"));
        store.Create(ResourceCatalog.ConfigMaps, "team", ConfigMap("a"));
        store.Create(ResourceCatalog.Pods, "team", Pod("p"));
        store.Create(ResourceCatalog.ConfigMaps, "default", ConfigMap("a"));
        var seen = new List<StoreChange>();
        store.Changed += seen.Add;

        store.Delete(ResourceCatalog.Namespaces, null, "team");

        Assert.Equal(3, seen.Count(c => c.Type == "DELETED"));
        Assert.Null(store.TryGet(ResourceCatalog.Pods, "team", "p"));
        Assert.NotNull(store.TryGet(ResourceCatalog.ConfigMaps, "default", "a"));
    }

    [Fact]
    public void DeleteCollection_DeletesOnlySelected()
    {
        var store = Store();
        store.Create(ResourceCatalog.Pods, "kube-system", Pod("calico-node-a", app: "calico-node"));
        store.Create(ResourceCatalog.Pods, "kube-system", Pod("calico-node-b", app: "calico-node"));
        store.Create(ResourceCatalog.Pods, "kube-system", Pod("kube-proxy-a", app: "kube-proxy"));

        var deleted = store.DeleteCollection(ResourceCatalog.Pods, "kube-system", new ListOptions(LabelSelector: "app=calico-node"));

        Assert.Equal("PodList", deleted["kind"]!.GetValue<string>());
        Assert.Equal(2, deleted["items"]!.AsArray().Count);
        Assert.Single(store.List(ResourceCatalog.Pods, null, ListOptions.None)["items"]!.AsArray());
    }

    [Fact]
    public void List_SortsByNamespaceThenNameAndFiltersFields()
    {
        var store = Store();
        store.Create(ResourceCatalog.Pods, "kube-system", Pod("b", node: "node-2"));
        store.Create(ResourceCatalog.Pods, "default", Pod("z", node: "node-2"));
        store.Create(ResourceCatalog.Pods, "kube-system", Pod("a", node: "node-1"));

        var all = store.List(ResourceCatalog.Pods, null, ListOptions.None);
        var onNode2 = store.List(ResourceCatalog.Pods, null, new ListOptions(FieldSelector: "spec.nodeName=node-2"));

        Assert.Equal(["z", "a", "b"], all["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal(["z", "b"], onNode2["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal("Pod", all["items"]![0]!["kind"]!.GetValue<string>());
        Assert.Equal(store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture), all["metadata"]!["resourceVersion"]!.GetValue<string>());
    }
}
