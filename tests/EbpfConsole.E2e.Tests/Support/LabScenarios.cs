namespace EbpfConsole.E2e.Tests.Support;

/// <summary>Brings the lab up on a scenario, reusing a lab that is already up on it (scenario tests share the machine-global lab).</summary>
public static class LabScenarios
{
    public static void Ensure(string scenario)
    {
        InstalledConsole.RequireRoot();
        var status = InstalledConsole.Run("lab", "status", "--json");
        if (status.Stdout.Contains($"\"scenario\": \"{scenario}\"", StringComparison.Ordinal) && status.Stdout.Contains("\"up\": true", StringComparison.Ordinal))
        {
            return;
        }

        Assert.Equal(0, InstalledConsole.Run("lab", "down").ExitCode);
        var up = InstalledConsole.Run("lab", "up", "--scenario", scenario);
        Assert.True(up.ExitCode == 0, up.Stderr);
    }
}
