using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using EbpfConsole.Core.Preflight.Rules;

namespace EbpfConsole.Core.Preflight;

/// <summary>
/// The one read-only script preflight runs on each node (POSIX sh, dash-compatible), and how its output becomes
/// <see cref="NodeFacts"/>. Each section prints `@@ebpf-console:section KEY@@ COMMAND`, the command's output (stdout
/// and stderr, capped), and `@@ebpf-console:exit KEY N@@`. Values from the API (P9's endpoints) are validated and
/// single-quoted; invalid ones are not put into the script at all.
/// </summary>
public static partial class NodeProbeScript
{
    public const string SectionMarker = "@@ebpf-console:section ";
    public const string ExitMarker = "@@ebpf-console:exit ";
    public const string EndMarker = "@@ebpf-console:end@@";

    /// <summary>The script for <paramref name="nodeName"/> (it needs the API endpoints from the facts).</summary>
    public static string Build(ClusterFacts cluster, string nodeName)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        var sb = new StringBuilder();
        sb.Append("# ebpf-console preflight probe (read-only; DOMAIN.md P2-P20) for node ").AppendLine(SafeComment(nodeName));
        sb.AppendLine("set +e");
        sb.AppendLine("export LC_ALL=C");
        sb.AppendLine("exec 4>&1");
        sb.AppendLine("if [ \"$(id -u 2>/dev/null)\" = 0 ]; then SUDO=\"\"; else SUDO=\"sudo -n\"; fi");
        sb.AppendLine("if command -v bash >/dev/null 2>&1 && command -v timeout >/dev/null 2>&1; then TCP=bash; elif command -v nc >/dev/null 2>&1; then TCP=nc; else TCP=none; fi");
        sb.AppendLine("ec_run() {");
        sb.AppendLine("  echo \"" + SectionMarker + "$1@@ $2\"");
        sb.AppendLine("  ec_rc=$( { { \"$3\" </dev/null 2>&1; echo $? >&3; } | head -c \"$4\" >&4; } 3>&1 )");
        sb.AppendLine("  echo");
        sb.AppendLine("  echo \"" + ExitMarker + "$1 ${ec_rc:-255}@@\"");
        sb.AppendLine("}");
        sb.AppendLine("ec_tcp() {");
        sb.AppendLine("  case $TCP in");
        sb.AppendLine("    bash) timeout 3 bash -c '</dev/tcp/$1/$2' bash \"$1\" \"$2\" ;;");
        sb.AppendLine("    nc) nc -z -w 3 \"$1\" \"$2\" ;;");
        sb.AppendLine("    *) echo \"neither bash (with timeout) nor nc on this node: cannot test a TCP connection\"; return 127 ;;");
        sb.AppendLine("  esac");
        sb.AppendLine("  ec_trc=$?");
        sb.AppendLine("  if [ \"$ec_trc\" = 0 ]; then echo connected; elif [ \"$ec_trc\" = 124 ]; then echo \"timed out after 3 s\"; fi");
        sb.AppendLine("  return $ec_trc");
        sb.AppendLine("}");

        var index = 0;
        foreach (var (key, _, body, _) in ProbeSections.Static)
        {
            sb.Append("ec_f").Append(index++).Append("() { ").Append(body).AppendLine("; }");
        }

        sb.Append("ec_iptables() { ").Append(ProbeSections.IptablesBody).AppendLine("; }");
        var targets = TestedEndpoints(cluster);
        for (var i = 0; i < targets.Count; i++)
        {
            sb.Append("ec_api").Append(i).Append("() { ec_tcp ").Append(ShellText.Quote(targets[i].Host)).Append(' ')
                .Append(ShellText.Quote(targets[i].PortText)).AppendLine("; }");
        }

        sb.AppendLine("echo \"@@ebpf-console:probe 1@@\"");
        index = 0;
        foreach (var (key, command, _, cap) in ProbeSections.Static)
        {
            sb.Append("ec_run ").Append(key).Append(' ').Append(ShellText.Quote(command)).Append(" ec_f").Append(index++)
                .Append(' ').AppendLine(cap.ToString(CultureInfo.InvariantCulture));
        }

        sb.Append("ec_run ").Append(ProbeSections.Iptables).Append(" \"").Append(ProbeSections.IptablesShown).Append("\" ec_iptables ")
            .AppendLine(ProbeSections.DefaultCap.ToString(CultureInfo.InvariantCulture));
        for (var i = 0; i < targets.Count; i++)
        {
            var (host, port) = (targets[i].Host, targets[i].PortText);
            sb.AppendLine("case $TCP in");
            sb.Append("  bash) ec_show=").Append(ShellText.Quote($"timeout 3 bash -c '</dev/tcp/{host}/{port}'")).AppendLine(" ;;");
            sb.Append("  nc) ec_show=").Append(ShellText.Quote($"nc -z -w 3 {host} {port}")).AppendLine(" ;;");
            sb.Append("  *) ec_show=").Append(ShellText.Quote($"TCP connect to {targets[i].HostPort}")).AppendLine(" ;;");
            sb.AppendLine("esac");
            sb.Append("ec_run ").Append(ProbeSections.ApiPrefix).Append(i).Append(" \"$ec_show\" ec_api").Append(i).AppendLine(" 4096");
        }

        sb.Append("echo \"").Append(EndMarker).AppendLine("\"");
        return sb.ToString();
    }

    /// <summary>Splits the script's output into sections; a failed run becomes <see cref="NodeFacts.Failed"/>.</summary>
    public static NodeFacts ToFacts(string nodeName, string address, ShellResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Failure is { } failure)
        {
            return NodeFacts.Failed(nodeName, address, failure);
        }

        var sections = Parse(result.StandardOutput);
        if (sections.Count == 0)
        {
            var stderr = LastLine(result.StandardError);
            var exit = result.ExitCode is { } code ? $"exit {code}" : "no exit status";
            return NodeFacts.Failed(nodeName, address,
                $"the probe script on {nodeName} ({address}) printed none of its sections ({exit}){(stderr is null ? "" : $": {stderr}")}");
        }

        return new NodeFacts(nodeName, address, null, sections);
    }

    /// <summary>The P9 endpoints the script tests, in section order (api-0, api-1, …).</summary>
    internal static IReadOnlyList<ApiEndpoint> TestedEndpoints(ClusterFacts cluster) =>
        ApiEndpoints.From(cluster).Targets.Where(t => t.Testable).Take(ApiEndpoints.MaxTargets).ToList();

    /// <summary>Complete sections only (both markers seen, keys matching); anything else is dropped.</summary>
    internal static IReadOnlyDictionary<string, ProbeOutput> Parse(string output)
    {
        var sections = new Dictionary<string, ProbeOutput>(StringComparer.Ordinal);
        string? key = null;
        var command = "";
        var body = new List<string>();
        foreach (var raw in (output ?? "").Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (SectionLine().Match(line) is { Success: true } start)
            {
                key = start.Groups[1].Value;
                command = start.Groups[2].Success ? start.Groups[2].Value : ProbeSections.CommandOf(key);
                body.Clear();
            }
            else if (ExitLine().Match(line) is { Success: true } end)
            {
                if (key is not null && end.Groups[1].Value == key)
                {
                    var code = int.TryParse(end.Groups[2].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var c) ? c : (int?)null;
                    sections[key] = new ProbeOutput(command, code, string.Join('\n', body).TrimEnd('\n', ' '));
                }

                key = null;
                body.Clear();
            }
            else if (key is not null)
            {
                body.Add(line);
            }
        }

        return sections;
    }

    private static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    private static string SafeComment(string text) => new(text.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_').ToArray());

    [GeneratedRegex(@"^@@ebpf-console:section ([a-z0-9-]+)@@(?: (.*))?$", RegexOptions.CultureInvariant)]
    private static partial Regex SectionLine();

    [GeneratedRegex(@"^@@ebpf-console:exit ([a-z0-9-]+) (-?\d{1,6})@@$", RegexOptions.CultureInvariant)]
    private static partial Regex ExitLine();
}
