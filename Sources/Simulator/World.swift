import Core
import Recommenders
