using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Lab;

/// <summary>
/// What the lab looks like right now. <see cref="Up"/> is true when every <see cref="Health"/> probe passed
/// (keys: see <see cref="LabHealth.Keys"/>); <see cref="Mode"/> is the recorded datapath mode, if any.
/// </summary>
public sealed record LabStatus(
    bool Up,
    DatapathMode? Mode,
    IReadOnlyList<LabHost> Nodes,
    IReadOnlyList<LabHost> Clients,
    LabHost Pod,
    string StateDir,
    IReadOnlyDictionary<string, bool> Health);

/// <summary>
/// One HTTP request to the NodePort. <see cref="Status"/> is the HTTP status (0 when no response);
/// <see cref="PodSaw"/> the source IP the pod reported; <see cref="Error"/> curl's message on failure.
/// </summary>
public sealed record CurlResult(string From, string FromIp, string Target, int Status, string? PodSaw, string? Error)
{
    public bool Succeeded => Status == 200;
}
