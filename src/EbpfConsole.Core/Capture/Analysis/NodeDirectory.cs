namespace EbpfConsole.Core.Capture.Analysis;

/// <summary>
/// Node names and their IP addresses (from the lab, the cluster or <c>--node name=ip</c> flags): a
/// node may have several addresses, an address belongs to one node.
/// </summary>
public sealed class NodeDirectory
{
    private readonly Dictionary<IpKey, string> _byAddress = [];
    private readonly List<string> _nodes = [];

    public NodeDirectory(IEnumerable<(string Node, string Address)> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var (node, address) in entries)
        {
            if (!CapturePoint.IsNodeName(node))
            {
                throw new ArgumentException($"node name '{node}' may only contain letters, digits, '.', '-' and '_'", nameof(entries));
            }

            if (!IpKey.TryParse(address, out var key))
            {
                throw new ArgumentException($"node {node}: '{address}' is not an IP address", nameof(entries));
            }

            if (_byAddress.TryGetValue(key, out var other) && other != node)
            {
                throw new ArgumentException($"address {address} is given for both {other} and {node}", nameof(entries));
            }

            _byAddress[key] = node;
            if (!_nodes.Contains(node, StringComparer.Ordinal))
            {
                _nodes.Add(node);
            }
        }
    }

    public static NodeDirectory Empty { get; } = new([]);

    /// <summary>Node names in the order they were given.</summary>
    public IReadOnlyCollection<string> Nodes => _nodes;

    public bool IsEmpty => _nodes.Count == 0;

    /// <summary>Parses <c>node-1=10.99.0.11</c>; the error is one line saying what is allowed.</summary>
    public static bool TryParseEntry(string text, out (string Node, string Address) entry, out string error)
    {
        entry = default;
        var value = text?.Trim() ?? "";
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == value.Length - 1)
        {
            error = $"node entry '{text}' is not NAME=IP (for example node-1=10.99.0.11)";
            return false;
        }

        var node = value[..equals].Trim();
        var address = value[(equals + 1)..].Trim();
        if (!CapturePoint.IsNodeName(node))
        {
            error = $"node entry '{text}': name '{node}' may only contain letters, digits, '.', '-' and '_'";
            return false;
        }

        if (!IpKey.TryParse(address, out _) || address.Contains('/', StringComparison.Ordinal))
        {
            error = $"node entry '{text}': '{address}' is not an IP address";
            return false;
        }

        entry = (node, address);
        error = "";
        return true;
    }

    public string? NodeOf(string address) => IpKey.TryParse(address, out var key) ? NodeOf(key) : null;

    public string? NodeOf(IpKey address) => _byAddress.GetValueOrDefault(address);
}
