using System.CommandLine;

namespace EbpfConsole.Cli.Connect;

/// <summary>Which cluster: <c>--lab</c> (the lab's kubeconfig, SSH key and known_hosts), or a kubeconfig as kubectl finds it.</summary>
internal sealed record ClusterTarget(bool Lab, string? Kubeconfig, string? Context);

/// <summary>The cluster options every cluster verb takes: --lab, --kubeconfig, --context.</summary>
internal sealed class TargetOptions
{
    public Option<bool> Lab { get; } = new("--lab") { Description = "Use the lab: its kubeconfig, SSH key and known_hosts (bring it up with `ebpf-console lab up`)" };

    public Option<string?> Kubeconfig { get; } = new("--kubeconfig") { HelpName = "FILE", Description = "kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)" };

    public Option<string?> Context { get; } = new("--context") { HelpName = "NAME", Description = "kubeconfig context (default: its current-context)" };

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Lab);
        command.Options.Add(Kubeconfig);
        command.Options.Add(Context);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Lab) && (result.GetValue(Kubeconfig) is not null || result.GetValue(Context) is not null))
            {
                result.AddError("--lab uses the lab's own kubeconfig; leave out --kubeconfig and --context");
            }
        });
    }

    public ClusterTarget Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new ClusterTarget(parse.GetValue(Lab), parse.GetValue(Kubeconfig), parse.GetValue(Context));
    }
}
