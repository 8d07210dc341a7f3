using System.Text.Json.Nodes;
using EbpfConsole.Core.Migration.Api;

namespace EbpfConsole.Core.Migration;

/// <summary>One thing a step's apply does, as previewed. The engine executes exactly the approved preview.</summary>
public abstract record PlannedChange
{
    /// <summary>One line for lists and logs, e.g. "patch daemonsets kube-system/kube-proxy (strategic)".</summary>
    public abstract string Summary { get; }

    /// <summary>The kubectl (or shell) command a person would type for the same change.</summary>
    public abstract string Equivalent { get; }
}

/// <summary>What a change does to an object.</summary>
public enum ObjectChangeKind
{
    Create,
    Patch,
    Delete,

    /// <summary>PUT the whole object (a rollback restoring the journal's Before; Body = that content).</summary>
    Replace,
}

/// <summary>
/// A change to one API object. <see cref="Before"/> is the live object the preview was made against (null: absent),
/// <see cref="After"/> what it will be (predicted locally from the patch; null when deleted). Apply refuses when the
/// live object's content no longer equals <see cref="Before"/> (someone else changed it since the preview).
/// </summary>
/// <param name="Target">The object.</param>
/// <param name="Kind">Create, patch, delete or replace.</param>
/// <param name="Body">The patch (Patch) or the object (Create); null for Delete.</param>
/// <param name="Patch">Merge or strategic, for Patch.</param>
/// <param name="Before">The live object at preview time.</param>
/// <param name="After">The predicted object after the change.</param>
public sealed record ObjectChange(ObjectRef Target, ObjectChangeKind Kind, JsonObject? Body, PatchKind? Patch, JsonObject? Before, JsonObject? After) : PlannedChange
{
    public override string Summary => Kind switch
    {
        ObjectChangeKind.Create => $"create {Target.Display}",
        ObjectChangeKind.Delete => $"delete {Target.Display}",
        ObjectChangeKind.Replace => $"restore {Target.Display} as it was",
        _ => $"patch {Target.Display} ({(Patch == PatchKind.Strategic ? "strategic" : "merge")})",
    };

    public override string Equivalent => Kind switch
    {
        ObjectChangeKind.Create => $"kubectl create -f - <<'EOF' (the object below)",
        ObjectChangeKind.Delete => $"kubectl delete {Target.KubectlName}",
        ObjectChangeKind.Replace => $"kubectl replace -f - <<'EOF' (the object below)",
        _ => $"kubectl patch {Target.KubectlName} --type {(Patch == PatchKind.Strategic ? "strategic" : "merge")} -p '{Body?.ToJsonString()}'",
    };
}

/// <summary>Restart pods by deleting them (their controller recreates them). Not reversible; rollback steps restart again where needed.</summary>
/// <param name="Namespace">The namespace.</param>
/// <param name="LabelSelector">e.g. "k8s-app=calico-node".</param>
/// <param name="Pods">The pods seen at preview time (for the user; apply deletes what the selector matches then).</param>
public sealed record PodRestart(string Namespace, string LabelSelector, IReadOnlyList<string> Pods) : PlannedChange
{
    public override string Summary => $"restart pods {LabelSelector} in {Namespace} ({Pods.Count} now)";

    public override string Equivalent => $"kubectl delete pod -n {Namespace} -l {LabelSelector}";
}

/// <summary>Read objects into the journal (M0's snapshot); changes nothing.</summary>
public sealed record SnapshotObjects(IReadOnlyList<ObjectRef> Targets) : PlannedChange
{
    public override string Summary => $"snapshot {Targets.Count} objects into the journal";

    public override string Equivalent => string.Join("; ", Targets.Select(t => $"kubectl get {t.KubectlName} -o json"));
}

/// <summary>
/// A shell command on a node (M1, M10). Run over SSH only with the user's explicit consent for node commands;
/// otherwise shown as the command to run by hand.
/// </summary>
/// <param name="Node">The node's name.</param>
/// <param name="Script">The POSIX sh command(s), verbatim.</param>
/// <param name="Purpose">Why, in one line.</param>
public sealed record NodeCommand(string Node, string Script, string Purpose) : PlannedChange
{
    public override string Summary => $"on {Node}: {Purpose}";

    public override string Equivalent => $"ssh {Node} sh -s (the script below, on stdin)";
}

/// <summary>Something only a person does (reboot nodes one by one): shown, never automatic.</summary>
public sealed record Guidance(string Text) : PlannedChange
{
    public override string Summary => Text;

    public override string Equivalent => "(by hand)";
}

/// <summary>
/// A pause inside a rollback (<see cref="MigrationStep.RollbackPreludeAsync"/>): the engine waits until the step's
/// <see cref="MigrationStep.VerifyRollbackPreludeAsync"/> passes before the next change (M5: kube-proxy back before the
/// Installation loses kubeProxyManagement).
/// </summary>
public sealed record WaitForCluster(string What) : PlannedChange
{
    public override string Summary => $"wait until {What}";

    public override string Equivalent => "(the console waits and checks)";
}
