namespace EbpfConsole.Core.Preflight.Rules;

/// <summary>One node's probe output for the rules: sections with evidence text, and why one cannot be used.</summary>
internal sealed class NodeView(ClusterFacts cluster, NodeFacts facts)
{
    public ClusterFacts Cluster { get; } = cluster;

    public NodeFacts Facts { get; } = facts;

    public string Name => Facts.Node;

    /// <summary>Why the node could not be read at all (unreachable, auth, host key…), or null.</summary>
    public string? Failure => Facts.Failure;

    /// <summary>The section, or null with the reason it is unusable (missing, command not found, sudo refused).</summary>
    public ProbeOutput? Section(string key, out string reason)
    {
        reason = "";
        if (Facts.Failure is { } failure)
        {
            reason = failure;
            return null;
        }

        if (!Facts.Outputs.TryGetValue(key, out var output))
        {
            reason = $"section {key} ({ProbeSections.CommandOf(key)}) missing from the node's output";
            return null;
        }

        if (output.ExitCode == 127 || output.Output.Contains(": not found", StringComparison.Ordinal)
            || output.Output.Contains("command not found", StringComparison.Ordinal))
        {
            reason = $"`{output.Command}` could not run on {Name}: {FirstLine(output.Output) ?? "command not found"}";
            return null;
        }

        return output;
    }

    /// <summary>"$ uname -r\n5.4.0-1045-aws" (+ "(exit N)" when non-zero, "(no output)" when empty).</summary>
    public static string Show(ProbeOutput output)
    {
        var text = output.Output.Length == 0 ? "(no output)" : output.Output;
        var exit = output.ExitCode is 0 ? "" : output.ExitCode is { } code ? $"\n(exit {code})" : "\n(no exit status)";
        return $"$ {output.Command}\n{text}{exit}";
    }

    /// <summary>What was tried, for the evidence of an unknown: "$ uname -r (on node-2 over SSH: not read)".</summary>
    public string Tried(params string[] keys) =>
        string.Join('\n', keys.Select(k => Facts.Outputs.TryGetValue(k, out var o)
            ? Show(o)
            : $"$ {ProbeSections.CommandOf(k)}\n(not read on {Name}{(Facts.Failure is null ? ": section missing from the output" : " over SSH")})"));

    public static string? FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
