using EbpfConsole.Nodes.HostKeys;

namespace EbpfConsole.Cli.Connect;

/// <summary>How SSH asks the user: about an unknown host key (yes/no) and for a key's passphrase. Null: never ask.</summary>
internal sealed record Prompts(Func<HostKeyQuestion, bool>? AskHostKey, Func<string, string?>? Passphrase)
{
    public static Prompts None { get; } = new(null, null);
}

/// <summary>
/// Prompts on the controlling terminal, as OpenSSH does: only when stdin is a terminal (never for --json or in a pipe).
/// Questions from parallel node connections are asked one at a time.
/// </summary>
internal static class TerminalPrompts
{
    private static readonly Lock Gate = new();

    public static Prompts For(bool json) =>
        json || Console.IsInputRedirected || Console.IsErrorRedirected ? Prompts.None : new Prompts(AskHostKey, AskPassphrase);

    private static bool AskHostKey(HostKeyQuestion question)
    {
        lock (Gate)
        {
            Console.Error.Write($"{question}\nAre you sure you want to continue connecting (yes/no)? ");
            return string.Equals(Console.ReadLine()?.Trim(), "yes", StringComparison.OrdinalIgnoreCase);
        }
    }

    private static string? AskPassphrase(string keyPath)
    {
        lock (Gate)
        {
            Console.Error.Write($"Enter passphrase for key '{keyPath}' (empty to skip): ");
            var typed = new System.Text.StringBuilder();
            while (true)
            {
                var key = Console.ReadKey(intercept: true);
                if (key.Key == ConsoleKey.Enter)
                {
                    break;
                }

                if (key.Key == ConsoleKey.Backspace)
                {
                    typed.Length = Math.Max(0, typed.Length - 1);
                }
                else if (!char.IsControl(key.KeyChar))
                {
                    typed.Append(key.KeyChar);
                }
            }

            Console.Error.WriteLine();
            return typed.Length == 0 ? null : typed.ToString();
        }
    }
}
