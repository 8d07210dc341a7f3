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
        Timeout.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !DurationText.TryParse(result.Tokens[0].Value, out _))
            {
                result.AddError($"--timeout '{result.Tokens[0].Value}' is not a duration such as 90s or 5m");
            }
        });
    }

    public void AddChanging(Command command)
    {
        command.Options.Add(Yes);
        command.Options.Add(DryRun);
        command.Options.Add(Force);
        command.Options.Add(Timeout);
        command.Options.Add(NoProof);
    }

    public MigrationOptions Read(ParseResult parse, bool changing) => new(
        ReadOnly: parse.GetValue(ReadOnly),
        DryRun: changing && parse.GetValue(DryRun),
        ForceReason: changing ? parse.GetValue(Force)?.Trim() : null,
        NodeCommands: changing && parse.GetResult(NodeCommands) is not null && parse.GetValue(NodeCommands),
        VerifyTimeout: changing && DurationText.TryParse(parse.GetValue(Timeout), out var t) ? t : null);
}
