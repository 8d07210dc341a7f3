using EbpfConsole.Lab;

namespace EbpfConsole.Cli.Migrate;

/// <summary>The traffic of a lab proof capture: a few requests from the lab's client to the ingress node's NodePort, with the real curl.</summary>
internal static class LabTraffic
{
    private const int Requests = 3;

    public static async Task SendAsync(CancellationToken cancellationToken)
    {
        var runner = new ProcessRunner();
        for (var i = 0; i < Requests; i++)
        {
            var command = LabCurl.Command(LabTopology.Client, LabTopology.IngressNode);
            await runner.RunAsync(command.File, command.Args, cancellationToken).ConfigureAwait(false);
        }
    }
}
