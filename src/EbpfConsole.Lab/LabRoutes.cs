namespace EbpfConsole.Lab;

/// <summary>
/// Network safety in the root namespace. Lab addresses are private-range addresses the machine may already
/// reach elsewhere (a VPN, a site network). `up` refuses when anything but the default route or our own
/// <c>eclab-host</c> routes the lab subnet, and <see cref="LabOnlyProbe"/> connects only when the kernel
/// would send the packet out of <c>eclab-host</c>. The pod network is never routed from the root namespace
/// (clients curl from their own namespaces), so a Kubernetes node's 10.244.x routes are not a conflict.
/// </summary>
public static class LabRoutes
{
    private static readonly string[] RouteTypes =
        ["unicast", "local", "broadcast", "multicast", "anycast", "unreachable", "blackhole", "prohibit", "throw", "nat"];

    /// <summary>Routes (every table) that cover the lab subnet (the default route among them), then those inside it.</summary>
    public static IReadOnlyList<LabCommand> Queries { get; } =
    [
        LabCommand.Ip("-o", "route", "show", "table", "all", "match", LabTopology.Subnet).Tolerant(),
        LabCommand.Ip("-o", "route", "show", "table", "all", "root", LabTopology.Subnet).Tolerant(),
    ];

    /// <summary>`ip -o route get ADDRESS`: which device the kernel would use right now.</summary>
    public static LabCommand RouteGet(string address) => LabCommand.Ip("-o", "route", "get", address).Tolerant();

    /// <summary>Throws before anything is created when the root namespace routes the lab subnet elsewhere.</summary>
    public static async Task EnsureNoConflictAsync(LabShell shell, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(shell);
        var lines = new List<string>();
        foreach (var query in Queries)
        {
            var result = await shell.RunAsync(query, ct).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                throw new LabException($"cannot check the routes of the lab subnet: '{query}' failed with exit code {result.ExitCode}: {result.Tail()}");
            }

            lines.AddRange(Lines(result.StdOut));
        }

        var conflicts = lines.Where(IsConflict).Distinct(StringComparer.Ordinal).ToList();
        if (conflicts.Count > 0)
        {
            var chosen = await shell.RunAsync(RouteGet(LabTopology.Node1.Ip), ct).ConfigureAwait(false);
            throw new LabException(
                $"the root namespace already routes the lab subnet {LabTopology.Subnet} elsewhere ('{string.Join("'; '", conflicts)}'; " +
                $"route get {LabTopology.Node1.Ip}: '{Lines(chosen.StdOut).FirstOrDefault() ?? chosen.Tail()}'): " +
                "'lab up' refuses to shadow or reach those hosts; remove that route or free the subnet");
        }
    }

    /// <summary>True when the kernel would send packets for <paramref name="address"/> out of <c>eclab-host</c>.</summary>
    public static async Task<bool> RoutesViaLabAsync(LabShell shell, string address, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(shell);
        var result = await shell.RunAsync(RouteGet(address), ct).ConfigureAwait(false);
        return result.Succeeded && Device(Lines(result.StdOut).FirstOrDefault() ?? string.Empty) == LabTopology.HostLink;
    }

    /// <summary>A route line (`ip -o route` format) that sends lab addresses somewhere other than the default route or <c>eclab-host</c>.</summary>
    public static bool IsConflict(string routeLine)
    {
        ArgumentNullException.ThrowIfNull(routeLine);
        var fields = Fields(routeLine);
        if (fields.Length == 0)
        {
            return false;
        }

        var prefix = RouteTypes.Contains(fields[0], StringComparer.Ordinal) && fields.Length > 1 ? fields[1] : fields[0];
        return prefix is not ("default" or "0.0.0.0/0") && Device(routeLine) != LabTopology.HostLink;
    }

    /// <summary>The word after "dev", or null.</summary>
    public static string? Device(string routeLine)
    {
        var fields = Fields(routeLine ?? string.Empty);
        var dev = Array.IndexOf(fields, "dev");
        return dev >= 0 && dev + 1 < fields.Length ? fields[dev + 1] : null;
    }

    private static string[] Fields(string line) => line.Split([' ', '\t', '\\'], StringSplitOptions.RemoveEmptyEntries);

    private static string[] Lines(string output) =>
        (output ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
