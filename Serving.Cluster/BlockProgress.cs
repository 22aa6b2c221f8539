namespace Recsys.Serving.Cluster;

/// <summary>How far a search cut into blocks has come: queries answered of the search's total.</summary>
public readonly record struct BlockProgress(int QueriesDone, int QueriesTotal);
