using System.CommandLine;
using EbpfConsole.Cli.Capture;
using EbpfConsole.Cli.Connect;
using EbpfConsole.Core.Migration;

namespace EbpfConsole.Cli.Migrate;

/// <summary>The options the migrate verbs share: the cluster (--lab, --kubeconfig, --context), SSH, --read-only, --json.</summary>
internal sealed class MigrateOptions
{
    public TargetOptions Target { get; } = new();

    public SshCliOptions Ssh { get; } = new();

    public Option<bool> ReadOnly { get; } = new("--read-only") { Description = "Refuse every change (plan and status work as usual)" };

    public Option<bool> Json { get; } = new("--json") { Description = "Print JSON" };

    public Option<bool> Yes { get; } = new("--yes", "-y") { Description = "Do not ask before changing the cluster (the preview is printed all the same)" };

    public Option<bool> DryRun { get; } = new("--dry-run") { Description = "Send every change with the API server's server-side dry run: validated, nothing stored" };

    public Option<string?> Force { get; } = new("--force") { HelpName = "REASON", Description = "Run a blocked step anyway; the reason goes into the journal" };

    public Option<bool> NodeCommands { get; } = new("--node-commands") { Description = "Run the node commands of M1/M10 over SSH (otherwise they are printed for you to run)" };

    public Option<string?> Timeout { get; } = new("--timeout") { HelpName = "DURATION", Description = "How long verify waits for pods, log lines and datapath evidence (default 3m)" };

    public Option<bool> NoProof { get; } = new("--no-proof") { Description = "Skip the proof captures around datapath steps (on the lab they are taken by default)" };

    public Option<string[]> ProofPoints { get; } = new("--proof-points")
    {
        HelpName = "NODE:IFACE",
        Description = "Capture here around M4, M6, M7 and their rollbacks (repeatable or comma-separated; default on the lab: its three points)",
        AllowMultipleArgumentsPerToken = true,
    };

    public Option<string?> ProofWindow { get; } = new("--proof-window") { HelpName = "DURATION", Description = "How long each proof capture waits for NodePort traffic on a cluster (default 10s; the lab sends its own)" };

    /// <summary>The proof points given, parsed; throws nothing (the validator has refused bad ones).</summary>
    public IReadOnlyList<Core.Capture.CapturePoint> ReadProofPoints(ParseResult parse) =>
        (parse.GetValue(ProofPoints) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(Core.Capture.CapturePoint.Parse).ToList();

    public TimeSpan ReadProofWindow(ParseResult parse) => DurationText.TryParse(parse.GetValue(ProofWindow), out var t) ? t : TimeSpan.FromSeconds(10);

    /// <summary>An option naming a step (M6, m6 or 6), refusing anything else with the steps that exist.</summary>
    public static Option<string?> StepOption(string name, string description)
    {
        var option = new Option<string?>(name) { HelpName = "ID", Description = description };
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !StepIds.TryParse(result.Tokens[0].Value, out _))
            {
                result.AddError($"{name} '{result.Tokens[0].Value}' is not a step; known: {string.Join(", ", StepIds.All)}");
            }
        });
        return option;
    }

    public void AddCommon(Command command, bool json)
    {
        Target.AddTo(command);
        Ssh.AddTo(command);
        command.Options.Add(ReadOnly);
        if (json)
        {
            command.Options.Add(Json);
        }

        Force.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && string.IsNullOrWhiteSpace(result.Tokens[0].Value))
            {
                result.AddError("--force needs a reason, e.g. --force \"P14 checked by hand: UDP 4789 is open\"");
            }
        });
        DurationText.Validate(Timeout, "90s or 5m");
    }

    public void AddChanging(Command command)
    {
        command.Options.Add(Yes);
        command.Options.Add(DryRun);
        command.Options.Add(Force);
        command.Options.Add(Timeout);
        command.Options.Add(NoProof);
        command.Options.Add(ProofPoints);
        command.Options.Add(ProofWindow);
        ProofPoints.Validators.Add(result =>
        {
            foreach (var text in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            {
                if (!Core.Capture.CapturePoint.TryParse(text, out _, out var error))
                {
                    result.AddError($"--proof-points '{text}': {error}");
                }
            }
        });
        DurationText.Validate(ProofWindow, "10s or 1m");
    }

    public MigrationOptions Read(ParseResult parse, bool changing) => new(
        ReadOnly: parse.GetValue(ReadOnly),
        DryRun: changing && parse.GetValue(DryRun),
        ForceReason: changing ? parse.GetValue(Force)?.Trim() : null,
        NodeCommands: changing && parse.GetResult(NodeCommands) is not null && parse.GetValue(NodeCommands),
        VerifyTimeout: changing && DurationText.TryParse(parse.GetValue(Timeout), out var t) ? t : null);
}
