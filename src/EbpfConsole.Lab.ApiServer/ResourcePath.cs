using EbpfConsole.Lab.Api;

namespace EbpfConsole.Lab.ApiServer;

/// <summary>
/// A parsed resource URL: /api/v1/[namespaces/NS/]PLURAL[/NAME[/SUB]] or
/// /apis/GROUP/VERSION/[namespaces/NS/]PLURAL[/NAME[/SUB]]; namespaces themselves are /api/v1/namespaces/NAME.
/// </summary>
internal sealed record ResourcePath(ResourceType Resource, string? Namespace, string? Name, string? Subresource)
{
    /// <summary>The resource path of <paramref name="segments"/> (without empty segments), or null when the URL names nothing served.</summary>
    public static ResourcePath? Parse(IReadOnlyList<string> segments)
    {
        ArgumentNullException.ThrowIfNull(segments);
        string group;
        string version;
        int rest;
        if (segments.Count >= 3 && segments[0] == "api")
        {
            (group, version, rest) = (string.Empty, segments[1], 2);
        }
        else if (segments.Count >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var tail = segments.Skip(rest).ToArray();
        if (tail.Length >= 3 && tail[0] == "namespaces")
        {
            var namespaced = ResourceCatalog.Find(group, version, tail[2]);
            if (namespaced is { Namespaced: true })
            {
                return Build(namespaced, tail[1], tail.Skip(3).ToArray());
            }
        }

        var resource = ResourceCatalog.Find(group, version, tail[0]);
        return resource is null ? null : Build(resource, null, tail.Skip(1).ToArray());
    }

    /// <summary>Pod subresources that need a real container runtime (kubectl exec, attach, port-forward, proxy).</summary>
    private static readonly string[] NotEmulated = ["exec", "attach", "portforward", "proxy"];

    private static ResourcePath? Build(ResourceType resource, string? ns, string[] tail)
    {
        return tail.Length switch
        {
            0 => new ResourcePath(resource, ns, null, null),
            1 => new ResourcePath(resource, ns, tail[0], null),
            2 when resource.Subresources.Contains(tail[1]) => new ResourcePath(resource, ns, tail[0], tail[1]),
            2 when resource == ResourceCatalog.Pods && NotEmulated.Contains(tail[1]) => throw ApiException.BadRequest(
                $"the lab's pods are emulated, not containers: {tail[1]} is not available (reach the node itself with ssh; see 'ebpf-console lab status')"),
            _ => null,
        };
    }
}
