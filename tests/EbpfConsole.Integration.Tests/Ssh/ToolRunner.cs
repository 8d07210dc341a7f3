using EbpfConsole.Integration.Tests.Support;

namespace EbpfConsole.Integration.Tests.Ssh;

/// <summary>Runs a local tool (ssh-keygen, hostname, uname) to completion for the SSH tests.</summary>
internal static class ToolRunner
{
    public static async Task<string> RunAsync(string file, params string[] args)
    {
        var (exitCode, stdout, stderr) = await ToolProcess.RunAsync(file, args);
        Assert.True(exitCode == 0, $"{file} {string.Join(' ', args)} exited {exitCode}: {stderr}{stdout}");
        return stdout;
    }
}
