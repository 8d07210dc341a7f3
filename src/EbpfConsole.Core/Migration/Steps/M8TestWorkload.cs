using System.Text.Json.Nodes;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Migration.Steps;

/// <summary>DOMAIN.md M8: the walkthrough's demo — nginx (1 replica) behind NodePort 30604 with externalTrafficPolicy Cluster.</summary>
internal sealed class M8TestWorkload(MigrationTarget plan) : PlanStep(plan)
{
    public const int NodePort = 30604;
    public const string ManagedBy = "ebpf-console";

    public override StepId Id => StepId.M8;

    public override string Title => "Test workload: nginx on NodePort 30604";

    public override string Why =>
        $"An nginx pod behind NodePort {NodePort} (externalTrafficPolicy Cluster) shows the datapath from outside: request every node's IP "
        + "and read the access log — the ingress node's IP under iptables (SNAT), your client's IP under eBPF (DOMAIN.md M8).";

    public override string? NotApplicableReason(MigrationTarget target) => null;

    public override async Task<StepCheck> CheckAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var services = await context.Api.ListAsync("v1", "services", null, null, cancellationToken).ConfigureAwait(false);
        var other = services.FirstOrDefault(s => UsesNodePort(s) && !IsOurs(s));
        if (other is not null)
        {
            return StepCheck.Blocked($"services {StepKit.Text(other, "metadata.namespace")}/{StepKit.Name(other)} already uses nodePort {NodePort}");
        }

        var deployment = await context.Api.GetAsync(MigrationObjects.TestDeployment, cancellationToken).ConfigureAwait(false);
        var service = await context.Api.GetAsync(MigrationObjects.TestService, cancellationToken).ConfigureAwait(false);
        if (deployment is null || service is null)
        {
            return StepCheck.Pending($"{(deployment is null ? MigrationObjects.TestDeployment : MigrationObjects.TestService).Display} does not exist");
        }

        return ReadyReplicas(deployment) >= 1
            ? StepCheck.Done($"{MigrationObjects.TestDeployment.Display} has a Ready replica behind nodePort {NodePort}")
            : StepCheck.Pending($"{MigrationObjects.TestDeployment.Display} has no Ready replica yet");
    }

    public override async Task<StepPreview> PreviewAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var changes = new List<PlannedChange>();
        if (await context.Api.GetAsync(MigrationObjects.TestDeployment, cancellationToken).ConfigureAwait(false) is null)
        {
            changes.Add(StepKit.Create(MigrationObjects.TestDeployment, Deployment()));
        }

        if (await context.Api.GetAsync(MigrationObjects.TestService, cancellationToken).ConfigureAwait(false) is null)
        {
            changes.Add(StepKit.Create(MigrationObjects.TestService, Service()));
        }

        return StepKit.Preview(context, Id, changes,
            [$"on a cloud VPC, open TCP {NodePort} to the nodes (security groups, forwarding rules) to reach it from outside"]);
    }

    public override Task<VerifyResult> VerifyAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var endpointsRef = new Api.ObjectRef("v1", "endpoints", MigrationObjects.TestService.Namespace, MigrationObjects.TestService.Name, "Endpoints");
        return Polling.UntilAsync(context, async ct =>
        {
            var deployment = await context.Api.GetAsync(MigrationObjects.TestDeployment, ct).ConfigureAwait(false);
            var ready = ReadyReplicas(deployment);
            var line = $"{MigrationObjects.TestDeployment.Display}: {ready} ready {StepKit.Plural(ready, "replica", "replicas")}";
            if (ready < 1)
            {
                return Observation.NotYet(deployment is null ? $"{MigrationObjects.TestDeployment.Display} not found" : $"{MigrationObjects.TestDeployment.Display} has no Ready replica yet", [line]);
            }

            var endpoints = await context.Api.GetAsync(endpointsRef, ct).ConfigureAwait(false);
            var addresses = ApiJson.Objects(endpoints, "subsets").SelectMany(s => ApiJson.Objects(s, "addresses")).Select(a => StepKit.Text(a, "ip")).OfType<string>().ToList();
            var endpointsLine = $"{endpointsRef.Display}: {(addresses.Count == 0 ? "no addresses" : string.Join(", ", addresses.Select(a => $"{a}:80")))}";
            return addresses.Count == 0
                ? Observation.NotYet($"{endpointsRef.Display} has no address yet", [line, endpointsLine])
                : Observation.Done($"nginx is Ready behind nodePort {NodePort}",
                    [line, endpointsLine, $"try from outside the cluster: curl http://<node IP>:{NodePort} on every node; the access log should show your client's IP under eBPF"]);
        }, cancellationToken);
    }

    public override Task<VerifyResult> VerifyRollbackAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return Polling.UntilAsync(context, async ct =>
        {
            var left = new List<string>();
            foreach (var target in new[] { MigrationObjects.TestDeployment, MigrationObjects.TestService })
            {
                if (await context.Api.GetAsync(target, ct).ConfigureAwait(false) is not null)
                {
                    left.Add(target.Display);
                }
            }

            return left.Count == 0
                ? Observation.Done("the test workload is gone", [])
                : Observation.NotYet($"{string.Join(" and ", left)} still {StepKit.Plural(left.Count, "exists", "exist")}", left);
        }, cancellationToken);
    }

    /// <summary>Labels app=nginx and app.kubernetes.io/managed-by=ebpf-console: the selector of both objects.</summary>
    public static JsonObject Labels() => new() { ["app"] = "nginx", ["app.kubernetes.io/managed-by"] = ManagedBy };

    public static JsonObject Deployment()
    {
        var body = StepKit.NewObject(MigrationObjects.TestDeployment);
        body["metadata"]!["labels"] = Labels();
        body["spec"] = new JsonObject
        {
            ["replicas"] = 1,
            ["selector"] = new JsonObject { ["matchLabels"] = Labels() },
            ["template"] = new JsonObject
            {
                ["metadata"] = new JsonObject { ["labels"] = Labels() },
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "nginx",
                        ["image"] = "nginx",
                        ["ports"] = new JsonArray(new JsonObject { ["containerPort"] = 80 }),
                    }),
                },
            },
        };
        return body;
    }

    public static JsonObject Service()
    {
        var body = StepKit.NewObject(MigrationObjects.TestService);
        body["metadata"]!["labels"] = Labels();
        body["spec"] = new JsonObject
        {
            ["type"] = "NodePort",
            ["externalTrafficPolicy"] = "Cluster",
            ["selector"] = Labels(),
            ["ports"] = new JsonArray(new JsonObject { ["protocol"] = "TCP", ["port"] = 80, ["targetPort"] = 80, ["nodePort"] = NodePort }),
        };
        return body;
    }

    private static int ReadyReplicas(JsonObject? deployment) =>
        int.TryParse(StepKit.Text(deployment, "status.readyReplicas"), out var n) ? n : 0;

    private static bool UsesNodePort(JsonObject service) =>
        ApiJson.Objects(service, "spec.ports").Any(p => StepKit.Text(p, "nodePort") == "30604");

    private static bool IsOurs(JsonObject service) =>
        StepKit.Text(service, "metadata.namespace") == MigrationObjects.TestService.Namespace && StepKit.Name(service) == MigrationObjects.TestService.Name;
}
