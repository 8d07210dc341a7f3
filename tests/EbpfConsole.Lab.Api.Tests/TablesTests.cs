using System.Text.Json.Nodes;
using EbpfConsole.Lab.Api;
using static EbpfConsole.Lab.Api.Tests.TestObjects;

namespace EbpfConsole.Lab.Api.Tests;

public sealed class TablesTests
{
    private static readonly DateTimeOffset Now = new(2025, 5, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(-1.5, "0s")]
    [InlineData(-3, "<invalid>")]
    [InlineData(45, "45s")]
    [InlineData(119, "119s")]
    [InlineData(120, "2m")]
    [InlineData(192, "3m12s")]
    [InlineData(45 * 60, "45m")]
    [InlineData(179 * 60, "179m")]
    [InlineData(5 * 3600 + 3 * 60, "5h3m")]
    [InlineData(9 * 3600, "9h")]
    [InlineData(50 * 3600, "2d2h")]
    [InlineData(10 * 86400, "10d")]
    [InlineData(800 * 86400, "2y70d")]
    public void HumanDuration_FormatsLikeKubectl(double seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Table_Node_ShowsStatusRolesVersionAndWideColumns()
    {
        var node = Json("""
            {"metadata":{"name":"node-1","creationTimestamp":"2025-05-01T11:55:00Z","labels":{"node-role.kubernetes.io/control-plane":""}},
             "spec":{"unschedulable":true},
             "status":{"conditions":[{"type":"Ready","status":"True"}],"addresses":[{"type":"InternalIP","address":"10.99.0.11"},{"type":"Hostname","address":"node-1"}],
               "nodeInfo":{"kubeletVersion":"v1.32.4","osImage":"Ubuntu 24.04 LTS","kernelVersion":"6.8.0","containerRuntimeVersion":"containerd://1.7.24"}}}
            """);

        var table = Tables.ToTable(ResourceCatalog.Nodes, [node], "42", Now);

        Assert.Equal(["Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"], Columns(table));
        Assert.Equal(["node-1", "Ready,SchedulingDisabled", "control-plane", "5m", "v1.32.4", "10.99.0.11", "<none>", "Ubuntu 24.04 LTS", "6.8.0", "containerd://1.7.24"], Cells(table, 0));
        Assert.Equal("name", table["columnDefinitions"]![0]!["format"]!.GetValue<string>());
        Assert.Equal(1, table["columnDefinitions"]![5]!["priority"]!.GetValue<int>());
        Assert.Equal("42", table["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("PartialObjectMetadata", table["rows"]![0]!["object"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void Table_Pod_ShowsReadyStatusRestartsAndNode()
    {
        var pod = Json("""
            {"metadata":{"name":"calico-node-x","namespace":"kube-system","creationTimestamp":"2025-05-01T11:59:15Z"},
             "spec":{"nodeName":"node-1","containers":[{"name":"calico-node"},{"name":"sidecar"}]},
             "status":{"phase":"Running","podIP":"10.99.0.11","containerStatuses":[
               {"name":"calico-node","ready":false,"restartCount":2,"state":{"running":{}},"lastState":{"terminated":{"finishedAt":"2025-05-01T11:59:30Z"}}},
               {"name":"sidecar","ready":true,"restartCount":1,"state":{"running":{}}}]}}
            """);

        var table = Tables.ToTable(ResourceCatalog.Pods, [pod], "1", Now);

        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age", "IP", "Node", "Nominated Node", "Readiness Gates"], Columns(table));
        Assert.Equal(["calico-node-x", "1/2", "Running", "3 (30s ago)", "45s", "10.99.0.11", "node-1", "<none>", "<none>"], Cells(table, 0));
    }

    [Fact]
    public void Table_Pod_WaitingReasonAndTerminatingWin()
    {
        var waiting = Json("""{"metadata":{"name":"a"},"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Pending","containerStatuses":[{"name":"c","state":{"waiting":{"reason":"ContainerCreating"}}}]}}""");
        var deleting = Json("""{"metadata":{"name":"b","deletionTimestamp":"2025-05-01T12:00:00Z"},"spec":{"containers":[{"name":"c"}]},"status":{"phase":"Running"}}""");

        var table = Tables.ToTable(ResourceCatalog.Pods, [waiting, deleting], "1", Now);

        Assert.Equal("ContainerCreating", Cells(table, 0)[2]);
        Assert.Equal("Terminating", Cells(table, 1)[2]);
        Assert.Equal("0/1", Cells(table, 0)[1]);
    }

    [Fact]
    public void Table_NodePortService_ShowsPortsAndSelector()
    {
        var svc = Json("""
            {"metadata":{"name":"nginx","creationTimestamp":"2025-05-01T10:00:00Z"},
             "spec":{"type":"NodePort","clusterIP":"10.100.1.2","selector":{"app":"nginx"},"ports":[{"port":80,"nodePort":30604,"protocol":"TCP"}]}}
            """);

        var table = Tables.ToTable(ResourceCatalog.Services, [svc], "1", Now);

        Assert.Equal(["Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"], Columns(table));
        Assert.Equal(["nginx", "NodePort", "10.100.1.2", "<none>", "80:30604/TCP", "120m", "app=nginx"], Cells(table, 0));
    }

    [Fact]
    public void Table_Endpoints_ShowsAddressPortsAndMore()
    {
        var kubernetes = Json("""{"metadata":{"name":"kubernetes"},"subsets":[{"addresses":[{"ip":"10.99.0.1"}],"ports":[{"name":"https","port":6443}]}]}""");
        var many = Json("""{"metadata":{"name":"many"},"subsets":[{"addresses":[{"ip":"1.1.1.1"},{"ip":"1.1.1.2"},{"ip":"1.1.1.3"},{"ip":"1.1.1.4"},{"ip":"1.1.1.5"}],"ports":[{"port":80}]}]}""");
        var none = Json("""{"metadata":{"name":"none"}}""");

        var table = Tables.ToTable(ResourceCatalog.Endpoints, [kubernetes, many, none], "1", Now);

        Assert.Equal("10.99.0.1:6443", Cells(table, 0)[1]);
        Assert.Equal("1.1.1.1:80,1.1.1.2:80,1.1.1.3:80 + 2 more...", Cells(table, 1)[1]);
        Assert.Equal("<none>", Cells(table, 2)[1]);
    }

    [Fact]
    public void Table_CustomResource_ShowsNameAndCreatedAtDate()
    {
        var felix = Json("""{"metadata":{"name":"default","creationTimestamp":"2025-05-01T09:00:00Z"},"spec":{}}""");

        var table = Tables.ToTable(ResourceCatalog.FelixConfigurations, [felix], "1", Now, includeObject: "Object");

        Assert.Equal(["Name", "Created At"], Columns(table));
        Assert.Equal("date", table["columnDefinitions"]![1]!["type"]!.GetValue<string>());
        Assert.Equal(["default", "2025-05-01T09:00:00Z"], Cells(table, 0));
        Assert.NotNull(table["rows"]![0]!["object"]!["spec"]);
    }

    [Fact]
    public void Table_DaemonSet_ShowsCountsNodeSelectorAndWideColumns()
    {
        var ds = Json("""
            {"metadata":{"name":"kube-proxy","creationTimestamp":"2025-05-01T11:59:00Z"},
             "spec":{"selector":{"matchLabels":{"k8s-app":"kube-proxy"}},"template":{"spec":{"nodeSelector":{"non-calico":"true","kubernetes.io/os":"linux"},
               "containers":[{"name":"kube-proxy","image":"registry.k8s.io/kube-proxy:v1.32.4"}]}}},
             "status":{"desiredNumberScheduled":2,"currentNumberScheduled":2,"numberReady":1,"updatedNumberScheduled":2,"numberAvailable":1}}
            """);

        var table = Tables.ToTable(ResourceCatalog.DaemonSets, [ds], "1", Now, includeObject: "None");

        Assert.Equal(["Name", "Desired", "Current", "Ready", "Up-to-date", "Available", "Node Selector", "Age", "Containers", "Images", "Selector"], Columns(table));
        Assert.Equal(["kube-proxy", "2", "2", "1", "2", "1", "kubernetes.io/os=linux,non-calico=true", "60s", "kube-proxy", "registry.k8s.io/kube-proxy:v1.32.4", "k8s-app=kube-proxy"], Cells(table, 0));
        Assert.Null(table["rows"]![0]!["object"]);
    }

    [Fact]
    public void Table_Deployment_ShowsReadyOfReplicas()
    {
        var deploy = Deployment("nginx");
        deploy["spec"]!["replicas"] = 1;
        deploy["status"] = Json("""{"readyReplicas":1,"updatedReplicas":1,"availableReplicas":1}""");

        var table = Tables.ToTable(ResourceCatalog.Deployments, [deploy], "1", Now);

        Assert.Equal(["nginx", "1/1", "1", "1", "<unknown>", "nginx", "nginx:1.27", "app=nginx"], Cells(table, 0));
    }

    private static List<string> Columns(JsonObject table) =>
        table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();

    private static List<string> Cells(JsonObject table, int row) =>
        table["rows"]![row]!["cells"]!.AsArray().Select(c => JsonTree.Scalar(c) ?? "null").ToList();
}
