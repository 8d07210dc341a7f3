using System.Globalization;

namespace EbpfConsole.Lab;

/// <summary>Requests to the NodePort from a client namespace with the real curl, and what the pod answered.</summary>
public static class LabCurl
{
    private const string StatusMarker = "\nhttp_code=";

    /// <summary>Lowest source port a request may be pinned to (below: privileged or reserved ports).</summary>
    public const int MinLocalPort = 1024;

    /// <summary>
    /// curl from <paramref name="from"/> to <paramref name="target"/>'s NodePort; with <paramref name="localPort"/>
    /// the request leaves from that source port (two clients with the same source port is a case captures must handle).
    /// </summary>
    public static LabCommand Command(LabHost from, LabHost target, int? localPort = null)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(target);
        var url = $"http://{target.Ip}:{LabTopology.NodePort.ToString(CultureInfo.InvariantCulture)}/";
        string[] pinned = localPort is { } port ? ["--local-port", port.ToString(CultureInfo.InvariantCulture)] : [];
        return LabCommand.Exec(from.Namespace, "curl", ["-sS", "--connect-timeout", "3", "--max-time", "5", .. pinned,
            "-w", StatusMarker + "%{http_code}", url]).Tolerant();
    }

    /// <summary>Reads curl's output (body, then the status marker) into a <see cref="CurlResult"/>.</summary>
    public static CurlResult Parse(LabHost from, LabHost target, CommandResult result)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(result);
        var output = result.StdOut;
        var marker = output.LastIndexOf(StatusMarker, StringComparison.Ordinal);
        var status = 0;
        var body = output;
        if (marker >= 0)
        {
            _ = int.TryParse(output.AsSpan(marker + StatusMarker.Length).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out status);
            body = output[..marker];
        }

        var error = result.Succeeded && status == 200 ? null : FirstLine(result.StdErr) ?? $"curl exit code {result.ExitCode}, HTTP {status}";
        return new CurlResult(from.Name, from.Ip, target.Name, status, status == 200 ? PodSaw(body) : null, error);
    }

    /// <summary>The address part of the pod's "addr:port" body.</summary>
    public static string? PodSaw(string body)
    {
        var line = FirstLine(body);
        if (line is null)
        {
            return null;
        }

        var colon = line.LastIndexOf(':');
        return colon > 0 ? line[..colon] : line;
    }

    private static string? FirstLine(string? text) =>
        (text ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
