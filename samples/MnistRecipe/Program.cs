// Trains an MNIST classifier with the regularised recipe: BatchNorm and Dropout, AdamW with no weight decay on biases
// and norms, a linear warm-up into cosine annealing stepped every batch, and gradient clipping. Half-way it saves a
// TrainingCheckpoint, builds everything afresh (as a new process would), loads the checkpoint and trains to the end.
// usage: dotnet run --project samples/MnistRecipe -c Release [-- EPOCHS [TRAINING-IMAGES]]
using System.Diagnostics;
using System.Globalization;
using MnistRecipeSample;
using NeuralNet;
using NeuralNet.Data;
using NeuralNet.Training;

CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
int epochs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
string data = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "data", "mnist");
var (train, test) = Mnist.Load(data);
if (args.Length > 1)
{
    train = train.Subset([.. Enumerable.Range(0, int.Parse(args[1], CultureInfo.InvariantCulture))]);
}

int half = Math.Max(1, epochs / 2);
var recipe = new Recipe(stepsPerEpoch: (train.Count + Recipe.BatchSize - 1) / Recipe.BatchSize, epochs);
Console.WriteLine($"MNIST: {train.Count} training and {test.Count} test images; {epochs} epochs, checkpoint after {half}");
Console.WriteLine(recipe.Model);
Console.WriteLine(recipe.Optimizer);

var clock = Stopwatch.StartNew();
var progress = new SynchronousProgress<EpochReport>(Console.WriteLine);
Trainer.Fit(recipe.Model, recipe.Optimizer, train, recipe.Options(test, endEpoch: half), progress: progress);
string checkpoint = Path.Combine(Path.GetTempPath(), "mnist-recipe.safetensors");
TrainingCheckpoint.Save(checkpoint, recipe.Model, recipe.Optimizer, recipe.Schedule, epoch: half);
Console.WriteLine($"saved {checkpoint} after epoch {half} (learning rate {recipe.Optimizer.LearningRate:G4})");

// What a new process does: build the same recipe, load the checkpoint, continue from the epoch it holds.
var resumed = new Recipe(recipe.StepsPerEpoch, epochs);
int done = TrainingCheckpoint.Load(checkpoint, resumed.Model, resumed.Optimizer, resumed.Schedule);
Console.WriteLine($"resumed at epoch {done} (learning rate {resumed.Optimizer.LearningRate:G4})");
Trainer.Fit(resumed.Model, resumed.Optimizer, train, resumed.Options(test, endEpoch: epochs, initialEpoch: done), progress: progress);

var (testLoss, testAccuracy) = Trainer.Evaluate(resumed.Model, test);
Console.WriteLine($"test loss {testLoss:F4}, test accuracy {testAccuracy:P2} after {epochs} epochs in {clock.Elapsed.TotalSeconds:F1} s");
