namespace EbpfConsole.Core.Preflight;

/// <summary>Whether a check is about the whole cluster (read through the API) or about one node.</summary>
public enum CheckScope
{
    Cluster,
    Node,
}

/// <summary>One preflight check of DOMAIN.md (P1…P20, plus RBAC): what it is, where it applies, how to fix a failure.</summary>
/// <param name="Id">"P1" … "P20", or "RBAC".</param>
/// <param name="Title">Short, e.g. "BPF filesystem".</param>
/// <param name="Scope">Cluster or node.</param>
/// <param name="Detect">How it is detected (the command or API fields read), for the help and the README.</param>
/// <param name="Remediation">What to do when it warns or fails.</param>
public sealed record CheckDefinition(string Id, string Title, CheckScope Scope, string Detect, string Remediation);

/// <summary>
/// The outcome of one check on one node (or the cluster).
/// </summary>
/// <param name="Id">The check id (P5).</param>
/// <param name="Title">The check title.</param>
/// <param name="Scope">Cluster or node.</param>
/// <param name="Node">The node's name; null for cluster checks.</param>
/// <param name="Verdict">pass / warn / fail / unknown.</param>
/// <param name="Reason">One line: why this verdict (e.g. "kernel 5.4.0 is older than 5.10"); for unknown, why the evidence could not be read.</param>
/// <param name="Evidence">What was read, verbatim: "$ uname -r\n5.4.0-1045-aws" or "daemonsets kube-system/calico-node: image docker.io/calico/node:v3.15.1".</param>
/// <param name="Remediation">What to do; null when the verdict is pass.</param>
public sealed record CheckResult(
    string Id,
    string Title,
    CheckScope Scope,
    string? Node,
    Verdict Verdict,
    string Reason,
    string Evidence,
    string? Remediation);
