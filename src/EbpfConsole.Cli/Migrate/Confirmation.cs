namespace EbpfConsole.Cli.Migrate;

/// <summary>Asks before changing the cluster, like terraform apply: only on a terminal; otherwise --yes is required.</summary>
internal static class Confirmation
{
    /// <summary>True to go on. Without a terminal (and without --yes) it says so on <paramref name="error"/> and returns false.</summary>
    public static bool Ask(string question, bool yes, TextWriter error)
    {
        if (yes)
        {
            return true;
        }

        if (Console.IsInputRedirected)
        {
            error.WriteLine("ebpf-console: not asking without a terminal: add --yes to apply the changes shown above");
            return false;
        }

        error.Write($"{question} [y/N] ");
        error.Flush();
        var answer = Console.ReadLine()?.Trim();
        return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }
}
