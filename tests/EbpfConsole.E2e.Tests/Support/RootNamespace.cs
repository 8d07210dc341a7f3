using System.Diagnostics;
using System.Text.RegularExpressions;

namespace EbpfConsole.E2e.Tests.Support;

/// <summary>
/// What the lab may touch in the machine's own (root) network namespace, as text that can be compared
/// before `up` and after `down`: links, addresses, routes, rules, every iptables table, namespaces.
/// </summary>
public static partial class RootNamespace
{
    public static string Capture() => string.Join('\n',
        Section("links", Command("ip", "-o", "link", "show").Split('\n').Select(LinkName)),
        Section("addresses", Lines(Command("ip", "-o", "addr", "show"))),
        Section("routes", Lines(Command("ip", "route", "show", "table", "all"))),
        Section("rules", Lines(Command("ip", "rule", "show"))),
        Section("iptables", Lines(Command("iptables-save")).Where(l => !l.StartsWith('#')).Select(l => Counters().Replace(l, "[]"))),
        Section("namespaces", Lines(Command("ip", "netns", "list"))));

    public static IReadOnlyList<string> LabNamespaces() =>
        Lines(Command("ip", "netns", "list")).Select(l => l.Split(' ')[0]).Where(n => n.StartsWith("eclab-", StringComparison.Ordinal)).ToArray();

    /// <summary>Processes whose command line names the lab's state directory (sshd -f …, nginx -c …).</summary>
    public static IReadOnlyList<string> LabProcesses(string stateDir) =>
        Directory.EnumerateDirectories("/proc")
            .Where(d => int.TryParse(Path.GetFileName(d), out _))
            .Select(d => (Pid: Path.GetFileName(d), Cmdline: ReadCmdline(d)))
            .Where(p => p.Cmdline.Contains(stateDir, StringComparison.Ordinal) && !IsZombie(p.Pid))
            .Select(p => $"{p.Pid}: {p.Cmdline}")
            .ToArray();

    private static string Section(string name, IEnumerable<string> lines) => $"[{name}]\n{string.Join('\n', lines.Order(StringComparer.Ordinal))}";

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string LinkName(string line) => line.Split(": ") is { Length: > 1 } parts ? parts[1] : line;

    private static string ReadCmdline(string procDir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(procDir, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return string.Empty; // the process ended while we looked
        }
    }

    private static bool IsZombie(string pid)
    {
        try
        {
            // PID 1 here reaps orphans late (DESIGN.md): a zombie has stopped.
            return File.ReadAllText($"/proc/{pid}/stat").Split(") ")[^1].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static string Command(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"{file} did not start");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)} failed: {process.StandardError.ReadToEnd()}");
        return output;
    }

    [GeneratedRegex(@"\[\d+:\d+\]")]
    private static partial Regex Counters();
}
