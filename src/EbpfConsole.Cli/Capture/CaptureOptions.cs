using System.CommandLine;
using System.Globalization;
using EbpfConsole.Core.Capture;
using EbpfConsole.Core.Capture.Analysis;

namespace EbpfConsole.Cli.Capture;

/// <summary>Options shared by `capture` and `analyze`: --node name=ip, --nodeport, --json.</summary>
internal sealed class CaptureOptions
{
    public const int NodePortMin = 1;
    public const int NodePortMax = 65535;

    public Option<string[]> Nodes { get; } = new("--node")
    {
        HelpName = "NAME=IP",
        Description = "A node's name and address, NAME=IP (repeatable); lets the analysis name the node behind an address",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<int?> NodePort { get; } = new("--nodeport")
    {
        HelpName = "PORT",
        Description = "The NodePort to follow (default: 30604 on the lab, else any SYN to a port in 30000-32767)",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print JSON: classification, evidence, connections[] (client, podSaw, replyPath, points), packets, malformed, dropped",
    };

    public CaptureOptions()
    {
        Nodes.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                if (!NodeDirectory.TryParseEntry(token.Value, out _, out var error))
                {
                    result.AddError(error);
                }
            }
        });
        NodePort.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var port)
                && port is < NodePortMin or > NodePortMax)
            {
                result.AddError($"--nodeport must be between {NodePortMin} and {NodePortMax}");
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Options.Add(Nodes);
        command.Options.Add(NodePort);
        command.Options.Add(Json);
    }

    /// <summary>The --node entries (already validated).</summary>
    public List<(string Node, string Address)> Entries(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var entries = new List<(string Node, string Address)>();
        foreach (var text in parse.GetValue(Nodes) ?? [])
        {
            if (NodeDirectory.TryParseEntry(text, out var entry, out _))
            {
                entries.Add(entry);
            }
        }

        return entries;
    }
}

/// <summary>Durations as people type them: 10s, 500ms, 2m, 1h, or plain seconds.</summary>
internal static class DurationText
{
    /// <summary>Makes <paramref name="option"/> refuse what <see cref="TryParse"/> does not read, naming the option and <paramref name="examples"/>.</summary>
    public static void Validate(System.CommandLine.Option<string?> option, string examples)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && !TryParse(result.Tokens[0].Value, out _))
            {
                result.AddError($"{option.Name} '{result.Tokens[0].Value}' is not a duration such as {examples}");
            }
        });
    }

    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        var value = text?.Trim().ToLowerInvariant() ?? string.Empty;
        var (number, unit) = value.EndsWith("ms", StringComparison.Ordinal) ? (value[..^2], 0.001)
            : value.EndsWith('s') ? (value[..^1], 1.0)
            : value.EndsWith('m') ? (value[..^1], 60.0)
            : value.EndsWith('h') ? (value[..^1], 3600.0)
            : (value, 1.0);
        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n) || n <= 0 || n * unit > TimeSpan.FromDays(1).TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(n * unit);
        return true;
    }
}
