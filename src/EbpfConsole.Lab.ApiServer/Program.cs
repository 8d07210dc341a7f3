namespace EbpfConsole.Lab.ApiServer;

/// <summary><c>ebpf-console-lab-apiserver --state-dir DIR --config FILE</c>: the lab's API server daemon.</summary>
internal static class Program
{
    private const string Usage = "usage: ebpf-console-lab-apiserver --state-dir DIR --config FILE";

    private static async Task<int> Main(string[] args)
    {
        string? stateDir = null;
        string? config = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--state-dir" when i + 1 < args.Length:
                    stateDir = args[++i];
                    break;
                case "--config" when i + 1 < args.Length:
                    config = args[++i];
                    break;
                case "-h" or "--help":
                    await Console.Out.WriteLineAsync(Usage).ConfigureAwait(false);
                    return 0;
                default:
                    await Console.Error.WriteLineAsync($"unknown argument '{args[i]}'; {Usage}").ConfigureAwait(false);
                    return 2;
            }
        }

        if (string.IsNullOrWhiteSpace(stateDir) || string.IsNullOrWhiteSpace(config))
        {
            await Console.Error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        return await LabApiDaemon.RunAsync(new LabPaths(stateDir), config).ConfigureAwait(false);
    }
}
