namespace Recsys.Serving.Http;

/// <summary>Body of <c>POST /admin/reload</c>: the run folder to serve next and its dataset folder, both inside the reload roots.</summary>
public sealed record ReloadBody(string Run, string Data);
