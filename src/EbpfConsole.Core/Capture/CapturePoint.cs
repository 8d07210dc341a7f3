using System.Diagnostics.CodeAnalysis;

namespace EbpfConsole.Core.Capture;

/// <summary>
/// Where packets were seen: a node and one of its interfaces, written <c>node-1:eth0</c>. The node
/// part names a node of the cluster (or the file's stem when nothing better is known); the
/// interface is a Linux interface name (<c>any</c> included).
/// </summary>
public sealed record CapturePoint(string Node, string Interface)
{
    /// <summary>Linux limits interface names to 15 bytes (IFNAMSIZ - 1).</summary>
    public const int MaxInterfaceLength = 15;

    public string Name => Node + ":" + Interface;

    public override string ToString() => Name;

    /// <summary>Parses <c>NODE:IFACE</c>; the error says what is allowed.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out CapturePoint? point, [NotNullWhen(false)] out string? error)
    {
        point = null;
        var value = text?.Trim() ?? "";
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            error = $"capture point '{text}' is not NODE:IFACE (for example node-1:eth0)";
            return false;
        }

        var node = value[..colon];
        var iface = value[(colon + 1)..];
        if (!IsNodeName(node))
        {
            error = $"capture point '{text}': node '{node}' may only contain letters, digits, '.', '-' and '_'";
            return false;
        }

        if (!IsInterfaceName(iface))
        {
            error = $"capture point '{text}': interface '{iface}' is not a Linux interface name (1-{MaxInterfaceLength} of letters, digits, '.', '-', '_', '@')";
            return false;
        }

        point = new CapturePoint(node, iface);
        error = null;
        return true;
    }

    public static CapturePoint Parse(string text) =>
        TryParse(text, out var point, out var error) ? point : throw new FormatException(error);

    /// <summary>Host-name characters only: a node name reaches SSH and shells, so nothing else passes.</summary>
    public static bool IsNodeName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 253 && name[0] != '-' && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_');

    /// <summary>
    /// A conservative subset of what Linux allows: enough for eth0, ens3, cali*, vxlan.calico, bond0.100,
    /// veth@if2 and "any", and nothing a shell or tcpdump could read as an option or a word break.
    /// </summary>
    public static bool IsInterfaceName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxInterfaceLength && name[0] != '-' && name is not "." and not ".."
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@');
}
