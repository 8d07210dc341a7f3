using System.CommandLine;
using EbpfConsole.Capture.Local;
using EbpfConsole.Cli.Connect;
using EbpfConsole.Core.Capture;
using EbpfConsole.Lab;

namespace EbpfConsole.Cli.Capture;

/// <summary>
/// `capture --point NODE:IFACE … | --lab`: live capture at several points at once (tcpdump over SSH on
/// nodes, libpcap for <c>local:IFACE</c>), analysed as it arrives; prints the analysis when the duration
/// is over or on Ctrl+C, and can write a pcapng with one interface per point. Nodes are reached as preflight reaches them:
/// the SSH flags, ~/.ssh/config under the point's node name, ProxyJump, known_hosts (<see cref="SshCliOptions"/>).
/// </summary>
internal static class CaptureCommand
{
    public static Command Create()
    {
        var points = new Option<string[]>("--point") { HelpName = "NODE:IFACE", Description = "Where to capture, NODE:IFACE (repeatable); NODE 'local' is this machine" };
        points.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!CapturePoint.TryParse(token.Value, out _, out var error))
                {
                    result.AddError(error);
                }
            }
        });
        var lab = new Option<bool>("--lab") { Description = "Capture on the lab: node-1 and node-2 uplinks and the pod's cali interface, NodePort 30604" };
        var filter = new Option<string?>("--filter") { HelpName = "BPF", Description = "BPF filter (default: NodePort, VXLAN, pod and ICMP traffic; never the SSH session itself)" };
        var duration = new Option<string?>("--duration") { HelpName = "DURATION", Description = "How long to capture: 10s, 500ms, 2m (default: until Ctrl+C)" };
        DurationText.Validate(duration, "10s, 500ms or 2m");
        filter.Validators.Add(result =>
        {
            // Checked here with the local libpcap so a typo fails before any SSH connection or capture starts.
            if (result.Tokens.Count == 1 && LibPcapFilter.Problem(result.Tokens[0].Value, out _) is { } problem)
            {
                result.AddError(problem);
            }
        });
        var write = new Option<string?>("--write") { HelpName = "FILE", Description = "Also write the packets: FILE.pcapng (one interface per point, a comment per connection) or FILE.pcap (classic)" };
        // The same SSH options as preflight (flags beat ~/.ssh/config); --user stays as the older name of --ssh-user.
        var ssh = new SshCliOptions();
        ssh.User.Aliases.Add("--user");
        var shared = new CaptureOptions();
        var command = new Command("capture", "Capture NodePort traffic at several points at once and classify the datapath live")
        {
            points, lab, filter, duration, write,
        };
        shared.AddTo(command);
        ssh.AddTo(command);
        command.Validators.Add(result =>
        {
            if (!result.GetValue(lab) && (result.GetValue(points) ?? []).Length == 0)
            {
                result.AddError("give --lab or at least one --point NODE:IFACE");
            }
        });
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var error = parse.InvocationConfiguration.Error;
            try
            {
                var request = new CaptureRequest(
                    parse.GetValue(lab),
                    (parse.GetValue(points) ?? []).Select(CapturePoint.Parse).ToList(),
                    parse.GetValue(filter),
                    DurationText.TryParse(parse.GetValue(duration), out var d) ? d : null,
                    parse.GetValue(write),
                    ssh.Read(parse),
                    parse.GetValue(shared.NodePort),
                    parse.GetValue(shared.Json));
                return await CaptureRunner.RunAsync(request, shared.Entries(parse), parse.InvocationConfiguration.Output, error, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is LabException or ConnectionSetupException)
            {
                await error.WriteLineAsync($"ebpf-console: capture: {e.Message}").ConfigureAwait(false);
                return CliApp.UsageError;
            }
        });
        return command;
    }
}

/// <summary>A parsed `capture` command line.</summary>
internal sealed record CaptureRequest(
    bool Lab,
    IReadOnlyList<CapturePoint> Points,
    string? Filter,
    TimeSpan? Duration,
    string? WritePath,
    SshFlags Ssh,
    int? NodePort,
    bool Json);
