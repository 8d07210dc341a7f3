using System.Globalization;
using System.Text;

namespace EbpfConsole.Nodes.Config;

/// <summary>The values <c>%</c> tokens stand for when a path or host name from ssh_config is expanded.</summary>
/// <param name="HomeDirectory"><c>%d</c> and <c>~</c>.</param>
/// <param name="LocalUser"><c>%u</c>.</param>
/// <param name="Host"><c>%h</c>: the remote host name (for HostName itself: the name given, i.e. the alias).</param>
/// <param name="Alias"><c>%n</c>: the name given (the node name).</param>
/// <param name="RemoteUser"><c>%r</c>.</param>
/// <param name="Port"><c>%p</c>.</param>
public sealed record SshTokenValues(string HomeDirectory, string LocalUser, string Host, string Alias, string RemoteUser, int Port);

/// <summary>
/// ssh_config's <c>%</c> tokens and <c>~</c>. Supported: <c>%%</c>, <c>%d</c>, <c>%u</c>, <c>%h</c>, <c>%n</c>,
/// <c>%r</c>, <c>%p</c> in IdentityFile and UserKnownHostsFile, and <c>%h</c>/<c>%%</c> in HostName. Other tokens are
/// refused when the config is read (file:line), so a path is never silently wrong.
/// </summary>
public static class SshTokens
{
    /// <summary>Tokens allowed in file paths.</summary>
    public const string PathTokens = "%dunrhp";

    /// <summary>Tokens allowed in HostName.</summary>
    public const string HostNameTokens = "%h";

    public static string DefaultHomeDirectory => Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);

    /// <summary>Null when every <c>%x</c> in <paramref name="value"/> is one of <paramref name="allowed"/>; otherwise why not.</summary>
    public static string? Problem(string value, string allowed)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(allowed);
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] != '%')
            {
                continue;
            }

            if (i + 1 >= value.Length)
            {
                return $"'{value}' ends with a lone '%' (write %% for a percent sign)";
            }

            var token = value[i + 1];
            if (!allowed.Contains(token, StringComparison.Ordinal))
            {
                return $"unsupported token %{token} in '{value}' (supported: {string.Join(", ", allowed.Select(t => "%" + t))})";
            }

            i++;
        }

        return null;
    }

    /// <summary>Expands a leading <c>~</c> or <c>~/</c> and the tokens; the value must have passed <see cref="Problem"/>.</summary>
    public static string Expand(string value, SshTokenValues values)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(values);
        var text = new StringBuilder(value.Length + 32);
        var start = 0;
        if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal))
        {
            text.Append(values.HomeDirectory);
            start = 1;
        }

        for (var i = start; i < value.Length; i++)
        {
            if (value[i] != '%' || i + 1 >= value.Length)
            {
                text.Append(value[i]);
                continue;
            }

            i++;
            _ = value[i] switch
            {
                '%' => text.Append('%'),
                'd' => text.Append(values.HomeDirectory),
                'u' => text.Append(values.LocalUser),
                'h' => text.Append(values.Host),
                'n' => text.Append(values.Alias),
                'r' => text.Append(values.RemoteUser),
                'p' => text.Append(values.Port.ToString(CultureInfo.InvariantCulture)),
                _ => throw new ArgumentException($"unsupported token %{value[i]} in '{value}'", nameof(value)),
            };
        }

        return text.ToString();
    }

    /// <summary>Expands a leading <c>~</c> only (Include paths, command-line files).</summary>
    public static string ExpandHome(string value, string homeDirectory)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value == "~" ? homeDirectory
            : value.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(homeDirectory, value[2..])
            : value;
    }
}
