using EbpfConsole.Core.Datapath;

namespace EbpfConsole.Lab;

/// <summary>
/// What the lab looks like right now; <see cref="Nodes"/> lists every node (node-1 … node-N). <see cref="Up"/> is true when every <see cref="Health"/> probe passed
/// (keys: see <see cref="LabHealth.Keys"/>); <see cref="Mode"/> is the recorded datapath mode, if any
/// (<see cref="Datapath"/> also says "none": NodePorts not served).
/// </summary>
public sealed record LabStatus(
    bool Up,
    DatapathMode? Mode,
    IReadOnlyList<LabHost> Nodes,
    IReadOnlyList<LabHost> Clients,
    LabHost Pod,
    string StateDir,
    IReadOnlyDictionary<string, bool> Health)
{
    /// <summary>The recorded datapath: a mode name, "none", or null when nothing is recorded.</summary>
    public string? Datapath { get; init; }

    /// <summary>The scenario the lab was built with (from the API server's config), or null when none is recorded.</summary>
    public string? Scenario { get; init; }

    /// <summary>True while `lab mode` forces the datapath; otherwise the API objects (the lab controller) decide.</summary>
    public bool ManualOverride { get; init; }

    /// <summary>The API server's URL (the kubeconfig's server).</summary>
    public string ApiServerUrl { get; init; } = LabApiServerLauncher.Url;

    /// <summary>The kubeconfig for the API server; null while it does not exist.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The read-only viewer's kubeconfig (get, list, watch; writes are 403); null while it does not exist.</summary>
    public string? ViewerKubeconfig { get; init; }

    public bool ApiServerUp => Health.TryGetValue(LabHealth.ApiServer, out var up) && up;
}

/// <summary>
/// One HTTP request to the NodePort. <see cref="Status"/> is the HTTP status (0 when no response);
/// <see cref="PodSaw"/> the source IP the pod reported; <see cref="Error"/> curl's message on failure.
/// </summary>
public sealed record CurlResult(string From, string FromIp, string Target, int Status, string? PodSaw, string? Error)
{
    public bool Succeeded => Status == 200;
}
