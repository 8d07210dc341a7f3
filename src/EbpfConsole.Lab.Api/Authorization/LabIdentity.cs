namespace EbpfConsole.Lab.Api.Authorization;

/// <summary>
/// Who is calling, read from the client certificate the way the real API server's x509 authenticator reads it:
/// the subject's CN is the user name, each O a group. The lab issues two: the admin (O=system:masters) and a
/// read-only viewer (O=ebpf-console:viewers).
/// </summary>
public sealed record LabIdentity(string User, IReadOnlyList<string> Groups)
{
    /// <summary>The group Kubernetes lets do everything (no RBAC rule is consulted).</summary>
    public const string MastersGroup = "system:masters";

    /// <summary>The lab's read-only group: get, list and watch on every resource, nothing else.</summary>
    public const string ViewersGroup = "ebpf-console:viewers";

    /// <summary>The group every authenticated caller is in (may use discovery and ask what it may do).</summary>
    public const string AuthenticatedGroup = "system:authenticated";

    public const string ViewerUser = "ebpf-console-viewer";

    public bool IsMaster => Groups.Contains(MastersGroup, StringComparer.Ordinal);

    public bool IsViewer => Groups.Contains(ViewersGroup, StringComparer.Ordinal);

    /// <summary>The groups as the server reports them (with <see cref="AuthenticatedGroup"/>).</summary>
    public IReadOnlyList<string> EffectiveGroups => [.. Groups, AuthenticatedGroup];
}
