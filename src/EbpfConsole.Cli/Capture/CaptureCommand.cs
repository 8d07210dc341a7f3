using System.CommandLine;
using EbpfConsole.Capture.Local;
using EbpfConsole.Capture.Sources;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;
using EbpfConsole.Core.Capture.Live;
using EbpfConsole.Core.Events;
using EbpfConsole.Core.Nodes;
using EbpfConsole.Lab;
using EbpfConsole.Nodes.HostKeys;
using EbpfConsole.Nodes.Ssh;

namespace EbpfConsole.Cli.Capture;

/// <summary>
/// `capture --point NODE:IFACE … | --lab`: live capture at several points at once (tcpdump over SSH on
/// nodes, libpcap for <c>local:IFACE</c>), analysed as it arrives; prints the analysis when the duration
/// is over or on Ctrl+C, and can write a pcapng with one interface per point.
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
        duration.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !DurationText.TryParse(result.Tokens[0].Value, out _))
            {
                result.AddError($"--duration '{result.Tokens[0].Value}' is not a duration such as 10s, 500ms or 2m");
            }
        });
        filter.Validators.Add(result =>
        {
            // Checked here with the local libpcap so a typo fails before any SSH connection or capture starts.
            if (result.Tokens.Count == 1 && LibPcapFilter.Problem(result.Tokens[0].Value, out _) is { } problem)
            {
                result.AddError(problem);
            }
        });
        var write = new Option<string?>("--write") { HelpName = "FILE", Description = "Also write the packets: FILE.pcapng (one interface per point, a comment per connection) or FILE.pcap (classic)" };
        var user = new Option<string?>("--user", "--ssh-user") { HelpName = "USER", Description = "SSH user for nodes (default: the current user; root on the lab)" };
        var identity = new Option<string[]>("--identity", "-i") { HelpName = "FILE", Description = "SSH private key file (repeatable; default ~/.ssh/id_ed25519, id_ecdsa, id_rsa)" };
        var acceptNew = new Option<bool>("--accept-new") { Description = "Trust unknown host keys and record them (like StrictHostKeyChecking=accept-new); changed keys are always refused" };
        var shared = new CaptureOptions();
        var command = new Command("capture", "Capture NodePort traffic at several points at once and classify the datapath live")
        {
            points, lab, filter, duration, write, user, identity, acceptNew,
        };
        shared.AddTo(command);
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
                    parse.GetValue(user),
                    parse.GetValue(identity) ?? [],
                    parse.GetValue(acceptNew),
                    parse.GetValue(shared.NodePort),
                    parse.GetValue(shared.Json));
                return await CaptureRunner.RunAsync(request, shared.Entries(parse), parse.InvocationConfiguration.Output, error, ct).ConfigureAwait(false);
            }
            catch (LabException e)
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
    string? User,
    IReadOnlyList<string> Identities,
    bool AcceptNew,
    int? NodePort,
    bool Json);
