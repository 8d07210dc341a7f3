using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using EbpfConsole.E2e.Tests.Support;

namespace EbpfConsole.E2e.Tests.Migration;

/// <summary>The lab's side of the migration tests: a fresh lab, its journal as written, its API server process, kubectl.</summary>
internal static class LabMigration
{
    public static string StateDir => Environment.GetEnvironmentVariable("EBPF_CONSOLE_LAB_DIR") is { Length: > 0 } dir ? dir : "/var/lib/ebpf-console/lab";

    public static string JournalPath => Path.Combine(StateDir, "api", "migration.jsonl");

    public static string Kubeconfig => Path.Combine(StateDir, "api", "kubeconfig");

    /// <summary>A lab brought up from scratch on <paramref name="scenario"/> (no journal, the scenario's objects).</summary>
    public static void Fresh(string scenario)
    {
        InstalledConsole.RequireRoot();
        Assert.Equal(0, InstalledConsole.Run("lab", "down").ExitCode);
        var up = InstalledConsole.Run("lab", "up", "--scenario", scenario);
        Assert.True(up.ExitCode == 0, up.Stderr);
        Assert.False(File.Exists(JournalPath), $"a fresh lab has no journal, but {JournalPath} exists");
    }

    /// <summary>`migrate …` with --lab; asserts the exit code and returns the output.</summary>
    public static CliResult Migrate(int exitCode, params string[] args)
    {
        var result = InstalledConsole.Run(["migrate", .. args, "--lab"]);
        Assert.True(result.ExitCode == exitCode, $"migrate {string.Join(' ', args)} exited {result.ExitCode}, not {exitCode}:\n{result.Stdout}\n{result.Stderr}");
        return result;
    }

    /// <summary>The journal's entries as JSON objects (every line must parse: the journal is intact).</summary>
    public static IReadOnlyList<JsonObject> Journal() =>
        File.ReadAllLines(JournalPath).Where(l => l.Length > 0).Select(l => (JsonObject)JsonNode.Parse(l)!).ToList();

    public static bool Has(IEnumerable<JsonObject> journal, string type, string step, string? outcome = null) =>
        journal.Any(e => (string?)e["type"] == type && (string?)e["step"] == step && (outcome is null || (string?)e["outcome"] == outcome));

    /// <summary>Polls the journal until an entry of <paramref name="type"/> for <paramref name="step"/> is written.</summary>
    public static void WaitForJournal(string type, string step, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (File.Exists(JournalPath) && Has(Journal(), type, step))
            {
                return;
            }

            Thread.Sleep(5);
        }

        Assert.Fail($"the journal has no {type} for {step} after {timeout.TotalSeconds:0}s");
    }

    /// <summary>The step's state as `migrate status --json` reports it.</summary>
    public static string State(string step)
    {
        var status = InstalledConsole.Run("migrate", "status", "--lab", "--json");
        var json = JsonNode.Parse(status.Stdout)!;
        return (string)json["steps"]!.AsArray().Single(s => (string?)s!["id"] == step)!["state"]!;
    }

    /// <summary>Sends a signal to the lab's API server (by its pid file: a process the lab started).</summary>
    public static void SignalApiServer(string signal)
    {
        var pid = File.ReadAllText(Path.Combine(StateDir, "api", "apiserver.pid")).Trim();
        Assert.True(int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out _), $"apiserver.pid holds '{pid}'");
        Assert.Equal(0, InstalledConsole.RunFile("kill", [$"-{signal}", pid]).ExitCode);
    }
}
