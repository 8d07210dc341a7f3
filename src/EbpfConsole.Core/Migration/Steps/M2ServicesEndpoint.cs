using System.Globalization;
using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;
using EbpfConsole.Core.Migration.Journal;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Migration.Steps;

/// <summary>DOMAIN.md M2: ConfigMap kubernetes-services-endpoint with the API server's address, so Felix reaches it without kube-proxy.</summary>
internal sealed class M2ServicesEndpoint(MigrationTarget plan) : PlanStep(plan)
{
    public const string WaitNote = "wait about 60 s after M2 before restarting calico-node (M3)";

    private static readonly ObjectRef Endpoints = new("v1", "endpoints", "default", "kubernetes", "Endpoints");

    public override StepId Id => StepId.M2;

    public override string Title => "Tell Calico where the API server is";

    public override string Why =>
        "Once kube-proxy is gone, the kubernetes Service's ClusterIP no longer leads anywhere, so Felix must reach the API server directly: "
        + $"ConfigMap {MigrationObjects.ServicesEndpointName} gives calico-node KUBERNETES_SERVICE_HOST/PORT (DOMAIN.md M2, P8, P9)"
        + (IsOperator ? "; the operator passes it on to calico-node in calico-system." : ".");

    public override IReadOnlyList<StepId> After => AfterSnapshot;

    public override string? NotApplicableReason(MigrationTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.OperatorBootstrap
            ? "Calico ≥ v3.31 on the operator finds the API server itself (M5, bpfNetworkBootstrap); this ConfigMap would conflict with it (P19)"
            : null;
    }

    public override async Task<StepCheck> CheckAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Target.Endpoint is not { } endpoint)
        {
            return StepCheck.Blocked(await ProblemAsync(context, cancellationToken).ConfigureAwait(false));
        }

        var target = MigrationObjects.ServicesEndpointConfigMap(context.Target);
        var live = await context.Api.GetAsync(target, cancellationToken).ConfigureAwait(false);
        if (live is null)
        {
            return StepCheck.Pending($"{target.Display} does not exist; it will say {Show(endpoint)}");
        }

        var (host, port) = Values(live);
        return Matches(live, endpoint)
            ? StepCheck.Done($"{target.Display} says {Show(endpoint)}")
            : StepCheck.Pending($"{target.Display} says {ApiEndpoints.HostKey}={host ?? "(none)"} {ApiEndpoints.PortKey}={port ?? "(none)"}; the chosen endpoint is {Show(endpoint)}");
    }

    public override async Task<StepPreview> PreviewAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var notes = new List<string>();
        if (context.Target.Endpoint is not { } endpoint)
        {
            notes.Add($"nothing to write: {await ProblemAsync(context, cancellationToken).ConfigureAwait(false)}");
            return StepKit.Preview(context, Id, [], notes);
        }

        notes.Add(IsOperator
            ? "the operator restarts calico-node in calico-system to pick the ConfigMap up (no M3 on operator installs)"
            : WaitNote);
        var target = MigrationObjects.ServicesEndpointConfigMap(context.Target);
        var live = await context.Api.GetAsync(target, cancellationToken).ConfigureAwait(false);
        var data = Data(endpoint);
        if (live is null)
        {
            var body = StepKit.NewObject(target);
            body["data"] = data;
            return StepKit.Preview(context, Id, [StepKit.Create(target, body)], notes);
        }

        return Matches(live, endpoint)
            ? StepKit.Preview(context, Id, [], notes)
            : StepKit.Preview(context, Id, [StepKit.Patch(target, live, PatchKind.Merge, new JsonObject { ["data"] = data })], notes);
    }

    public override Task<VerifyResult> VerifyAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Target.Endpoint is not { } endpoint)
        {
            return Task.FromResult(VerifyResult.Fail("no API server endpoint was chosen, so there is nothing to verify"));
        }

        var target = MigrationObjects.ServicesEndpointConfigMap(context.Target);
        return Polling.UntilAsync(context, async ct =>
        {
            var live = await context.Api.GetAsync(target, ct).ConfigureAwait(false);
            var (host, port) = Values(live);
            var line = live is null ? $"{target.Display}: not found" : $"{target.Display}: {ApiEndpoints.HostKey}={host} {ApiEndpoints.PortKey}={port}";
            if (!Matches(live, endpoint))
            {
                return Observation.NotYet(live is null ? $"{target.Display} not found yet" : $"{target.Display} does not say {Show(endpoint)} yet", [line]);
            }

            var found = Observation.Done($"{target.Display} says {Show(endpoint)}", [line]);
            return IsOperator ? found.And(await OperatorRolledAsync(context, endpoint, ct).ConfigureAwait(false)) : found;
        }, cancellationToken);
    }

    /// <summary>Manifest installs, after M3 ran: restart calico-node so Felix stops using the override (DOMAIN.md M3 rollback).</summary>
    public override async Task<IReadOnlyList<PlannedChange>> RollbackExtrasAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (IsOperator || context.Journal.Step(StepId.M3)?.AppliedAt is null)
        {
            return [];
        }

        var ns = context.Target.CalicoNamespace;
        return [new PodRestart(ns, StepKit.CalicoNodeSelector, await Pods.NamesAsync(context, ns, StepKit.CalicoNodeSelector, cancellationToken).ConfigureAwait(false))];
    }

    public override async Task<VerifyResult> VerifyRollbackAsync(StepContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        if ((await RollbackExtrasAsync(context, cancellationToken).ConfigureAwait(false)).Count == 0)
        {
            return VerifyResult.Pass("restored");
        }

        var since = StepKit.BegunAt(context, Id, JournalOp.Rollback);
        return await Polling.UntilAsync(context, async ct =>
            Pods.AllReady(await Pods.ListAsync(context, context.Target.CalicoNamespace, StepKit.CalicoNodeSelector, ct).ConfigureAwait(false), "calico-node", since),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Operator installs: the operator copies the values into calico-node's env and rolls the pods: each pod's spec has them and is Ready.</summary>
    private static async Task<Observation> OperatorRolledAsync(StepContext context, ServiceEndpoint endpoint, CancellationToken ct)
    {
        var dsRef = MigrationObjects.CalicoNodeDaemonSet(context.Target);
        var ds = await context.Api.GetAsync(dsRef, ct).ConfigureAwait(false);
        var env = CalicoInstall.Env(ds is null ? null : CalicoInstall.MainContainer(ds));
        var host = env.FirstOrDefault(e => e.Name == ApiEndpoints.HostKey)?.Value;
        if (host != endpoint.Host)
        {
            return Observation.NotYet($"the operator has not set {ApiEndpoints.HostKey}={endpoint.Host} on {dsRef.Display} yet",
                [$"{dsRef.Display}: {ApiEndpoints.HostKey}={host ?? "(not set)"}"]);
        }

        var raw = await context.Api.ListAsync("v1", "pods", context.Target.CalicoNamespace, StepKit.CalicoNodeSelector, ct).ConfigureAwait(false);
        var stale = raw.Where(p => CalicoInstall.Env(PodContainer(p)).FirstOrDefault(e => e.Name == ApiEndpoints.HostKey)?.Value != endpoint.Host)
            .Select(PodView.From).ToList();
        var ready = Pods.AllReady(raw.Select(PodView.From).ToList(), "calico-node");
        return stale.Count > 0
            ? Observation.NotYet($"{stale[0].Display} still runs without {ApiEndpoints.HostKey}={endpoint.Host} (the operator rolls calico-node one by one)", ready.Lines)
            : ready;
    }

    private static JsonObject? PodContainer(JsonObject pod)
    {
        var containers = ApiJson.Objects(pod, "spec.containers").ToList();
        return containers.FirstOrDefault(c => StepKit.Text(c, "name") == PodLogs.CalicoNodeContainer) ?? containers.FirstOrDefault();
    }

    private async Task<string> ProblemAsync(StepContext context, CancellationToken ct)
    {
        var endpoints = await context.Api.GetAsync(Endpoints, ct).ConfigureAwait(false);
        var configMap = await context.Api.GetAsync(MigrationObjects.ServicesEndpointConfigMap(context.Target), ct).ConfigureAwait(false);
        var kubeProxy = await context.Api.GetAsync(MigrationObjects.KubeProxyConfigMap, ct).ConfigureAwait(false);
        return EndpointChoice.Choose(endpoints, configMap, kubeProxy, IsOperator).Problem
            ?? "no API server endpoint was chosen when the plan was made; refresh to choose one";
    }

    private static JsonObject Data(ServiceEndpoint endpoint) => new()
    {
        [ApiEndpoints.HostKey] = endpoint.Host,
        [ApiEndpoints.PortKey] = endpoint.Port.ToString(CultureInfo.InvariantCulture),
    };

    private static (string? Host, string? Port) Values(JsonObject? configMap) =>
        (EndpointChoice.Data(configMap, ApiEndpoints.HostKey), EndpointChoice.Data(configMap, ApiEndpoints.PortKey));

    private static bool Matches(JsonObject? configMap, ServiceEndpoint endpoint)
    {
        var (host, port) = Values(configMap);
        return configMap is not null && host == endpoint.Host && port == endpoint.Port.ToString(CultureInfo.InvariantCulture);
    }

    private static string Show(ServiceEndpoint endpoint) =>
        $"{ApiEndpoints.HostKey}={endpoint.Host} {ApiEndpoints.PortKey}={endpoint.Port.ToString(CultureInfo.InvariantCulture)}";
}
