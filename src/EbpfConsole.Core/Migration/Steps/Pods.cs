using System.Text.Json.Nodes;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Migration.Steps;

/// <summary>One pod as the steps judge it: where it runs, whether it is Ready, when it was created, and why not Ready.</summary>
internal sealed record PodView(string Name, string? Node, bool Running, bool Ready, bool Terminating, DateTimeOffset? Created, string Why)
{
    public static PodView From(JsonObject pod)
    {
        var phase = StepKit.Text(pod, "status.phase") ?? "Pending";
        var terminating = StepKit.Text(pod, "metadata.deletionTimestamp") is not null;
        var ready = ApiJson.Objects(pod, "status.conditions").FirstOrDefault(c => StepKit.Text(c, "type") == "Ready");
        var isReady = phase == "Running" && !terminating && StepKit.Text(ready, "status") == "True";
        var waiting = ApiJson.Objects(pod, "status.containerStatuses")
            .Select(c => StepKit.Text(c, "state.waiting.reason"))
            .FirstOrDefault(r => r is not null);
        var why = terminating ? "terminating"
            : phase != "Running" ? (waiting is null ? phase : $"{phase} ({waiting})")
            : StepKit.Text(ready, "message") ?? StepKit.Text(ready, "reason") ?? waiting ?? "not Ready";
        return new PodView(StepKit.Name(pod), StepKit.Text(pod, "spec.nodeName"), phase == "Running" && !terminating, isReady, terminating, StepKit.Created(pod), why);
    }

    /// <summary>"node-2's pod calico-node-xyz" or "pod calico-node-xyz" before it is scheduled.</summary>
    public string Display => Node is null ? $"pod {Name}" : $"{Node}'s pod {Name}";

    /// <summary>"calico-node-abc on node-1: Running, Ready (created 2026-11-27 12:00:00Z)".</summary>
    public string Line => $"{Name} on {Node ?? "(unscheduled)"}: {(Ready ? "Running, Ready" : Why)}{(Created is { } c ? $" (created {StepKit.Stamp(c)})" : "")}";
}

/// <summary>Reading pods and judging a set of them.</summary>
internal static class Pods
{
    public static async Task<IReadOnlyList<PodView>> ListAsync(StepContext ctx, string ns, string selector, CancellationToken ct)
    {
        var pods = await ctx.Api.ListAsync("v1", "pods", ns, selector, ct).ConfigureAwait(false);
        return pods.Select(PodView.From).OrderBy(p => p.Node, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The pod names, for <see cref="PodRestart"/>.</summary>
    public static async Task<IReadOnlyList<string>> NamesAsync(StepContext ctx, string ns, string selector, CancellationToken ct) =>
        (await ListAsync(ctx, ns, selector, ct).ConfigureAwait(false)).Select(p => p.Name).ToList();

    /// <summary>
    /// Every pod Running and Ready (and, with <paramref name="since"/>, created at or after it: restarted), and at least one.
    /// Summary "2/2 calico-node pods Ready" or "1/2 calico-node pods Ready; node-2's pod calico-node-xyz not Ready: …".
    /// </summary>
    public static Observation AllReady(IReadOnlyList<PodView> pods, string what, DateTimeOffset? since = null)
    {
        var lines = pods.Select(p => p.Line).ToList();
        if (pods.Count == 0)
        {
            return Observation.NotYet($"no {what} pods yet", lines);
        }

        var floor = since is { } s ? StepKit.FloorToSecond(s) : (DateTimeOffset?)null;
        bool Fresh(PodView p) => floor is null || (p.Created is { } c && c >= floor);
        var good = pods.Count(p => p.Ready && Fresh(p));
        var summary = $"{good}/{pods.Count} {what} pods Ready";
        if (good == pods.Count)
        {
            return Observation.Done(floor is null ? summary : $"{summary}, all started since {StepKit.Stamp(floor.Value)}", lines);
        }

        var first = pods.First(p => !(p.Ready && Fresh(p)));
        var problem = first.Ready
            ? $"{first.Display} is still the old one (created {(first.Created is { } c ? StepKit.Stamp(c) : "at an unknown time")}, before the restart at {StepKit.Stamp(floor!.Value)})"
            : $"{first.Display} not Ready: {first.Why}";
        return Observation.NotYet($"{summary}; {problem}", lines);
    }
}
